/**
 * The AWS app from the shipped config: the stacks `aws-dev` and `bootstrap-aws-dev`, synthesized into a
 * cloud assembly the way `npm run synth` and `npx cdk synth` write it, then read back as templates.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { isCloudFormationType, RESOURCE_TYPES } from '../../../constructs/core/resource-types';
import { buildAwsApp } from '../../../lib/aws/app';
import { synthAwsOrFail } from '../../../lib/aws/synth';
import { loadConfig } from '../../../lib/config/load';
import { expectFileSnapshot } from '../../helpers/file-snapshot';

const REPO = join(__dirname, '../../..');

interface Template {
  Resources: Record<
    string,
    {
      Type: string;
      Properties?: Record<string, unknown>;
      DeletionPolicy?: string;
      UpdateReplacePolicy?: string;
    }
  >;
  Outputs?: Record<string, unknown>;
}

function synthInto(outdir: string): App {
  const app = buildAwsApp(loadConfig(join(REPO, 'config/environments.yaml')), { outdir });
  synthAwsOrFail(app);
  return app;
}

/** Every file of the assembly (templates, manifests, the router's asset folder), by relative path. */
function filesOf(dir: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory()
        ? Object.entries(filesOf(dir, path))
        : [[path, readFileSync(join(dir, path), 'utf8')] as [string, string]];
    }),
  );
}

describe('the AWS app of config/environments.yaml', () => {
  let scratch: string;
  let first: Record<string, string>;
  let second: Record<string, string>;
  const template = (stack: string) => JSON.parse(first[`${stack}.template.json`]!) as Template;
  const ofType = (stack: string, type: string) =>
    Object.entries(template(stack).Resources).filter(([, r]) => r.Type === type);

  beforeAll(() => {
    // GIVEN the shipped config, synthesized twice into two directories
    scratch = mkdtempSync(join(tmpdir(), 'llmops-aws-'));
    synthInto(join(scratch, 'one'));
    synthInto(join(scratch, 'two'));
    first = filesOf(join(scratch, 'one'));
    second = filesOf(join(scratch, 'two'));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('has the stacks aws-dev and bootstrap-aws-dev, named as on Azure, and only those', () => {
    const templates = Object.keys(first).filter((f) => f.endsWith('.template.json'));
    expect(templates.sort()).toEqual(['aws-dev.template.json', 'bootstrap-aws-dev.template.json']);
  });

  test('is byte-identical across runs and carries no path of this machine', () => {
    expect(second).toEqual(first);
    for (const [file, text] of Object.entries(first)) {
      expect({ file, scratch: text.includes(scratch), repo: text.includes(REPO) }).toEqual({
        file,
        scratch: false,
        repo: false,
      });
    }
  });

  test('under the cdk CLI, whose context turns path and asset metadata on, the templates are the same', () => {
    // The CLI hands its context to the app in CDK_CONTEXT_JSON (`cdk deploy` has --path-metadata and
    // --asset-metadata on by default); API Gateway would fold the metadata into the Deployment's logical ID.
    const before = process.env.CDK_CONTEXT_JSON;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
    });
    try {
      synthInto(join(scratch, 'cli'));
    } finally {
      if (before === undefined) delete process.env.CDK_CONTEXT_JSON;
      else process.env.CDK_CONTEXT_JSON = before;
    }
    const cli = filesOf(join(scratch, 'cli'));
    for (const stack of ['aws-dev', 'bootstrap-aws-dev']) {
      const file = `${stack}.template.json`;
      expect(cli[file]).toBe(first[file]);
      expect(cli[file]).not.toContain('aws:cdk:path');
      expect(cli[file]).not.toContain('aws:asset:path');
    }
  });

  test.each(['aws-dev', 'bootstrap-aws-dev'])('%s matches its snapshot file', (stack) => {
    expectFileSnapshot(
      join(__dirname, '__snapshots__', `${stack}.template.json`),
      first[`${stack}.template.json`]!,
    );
  });

  test('every stateful resource the registry protects is retained on delete and on replacement', () => {
    const protectedTypes = new Set(
      Object.entries(RESOURCE_TYPES)
        .filter(([type, facts]) => isCloudFormationType(type) && facts.preventDestroy)
        .map(([type]) => type),
    );
    let checked = 0;
    for (const stack of ['aws-dev', 'bootstrap-aws-dev']) {
      for (const [id, r] of Object.entries(template(stack).Resources)) {
        if (!protectedTypes.has(r.Type)) continue;
        checked += 1;
        expect({ stack, id, deletion: r.DeletionPolicy, replace: r.UpdateReplacePolicy }).toEqual({
          stack,
          id,
          deletion: 'Retain',
          replace: 'Retain',
        });
      }
    }
    // buckets, keys, log groups, the collection, its index and the token table among them
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  test('each deployment is an application inference profile copying its pinned model, chat through the us profile', () => {
    const sources = ofType('aws-dev', 'AWS::Bedrock::ApplicationInferenceProfile')
      .map(([, r]) => JSON.stringify(r.Properties!.ModelSource))
      .sort();
    expect(sources).toHaveLength(2);
    expect(sources.find((s) => s.includes('foundation-model/amazon.titan-embed-text-v2:0'))).toBeDefined();
    expect(
      sources.find((s) => s.includes('inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0')),
    ).toBeDefined();
  });

  test('the strict guardrail blocks every harm category at HIGH and prompt attacks on input, with a published version', () => {
    const [[, guardrail]] = ofType('aws-dev', 'AWS::Bedrock::Guardrail') as [
      [string, Template['Resources'][string]],
    ];
    const filters = (guardrail.Properties!.ContentPolicyConfig as { FiltersConfig: Record<string, string>[] })
      .FiltersConfig;
    expect(filters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Type: 'HATE', InputStrength: 'HIGH', OutputStrength: 'HIGH' }),
        expect.objectContaining({ Type: 'INSULTS', InputStrength: 'HIGH', OutputStrength: 'HIGH' }),
        expect.objectContaining({ Type: 'SEXUAL', InputStrength: 'HIGH', OutputStrength: 'HIGH' }),
        expect.objectContaining({ Type: 'VIOLENCE', InputStrength: 'HIGH', OutputStrength: 'HIGH' }),
        expect.objectContaining({ Type: 'MISCONDUCT', InputStrength: 'HIGH', OutputStrength: 'HIGH' }),
        expect.objectContaining({ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' }),
      ]),
    );
    expect(ofType('aws-dev', 'AWS::Bedrock::GuardrailVersion')).toHaveLength(1);
  });

  test('the pipeline roles trust exactly their GitHub environment of the repository', () => {
    const subjects = ofType('bootstrap-aws-dev', 'AWS::IAM::Role')
      .map(([, r]) => {
        const trust = r.Properties!.AssumeRolePolicyDocument as {
          Statement: { Condition?: { StringEquals?: Record<string, string> } }[];
        };
        return trust.Statement[0]!.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub'];
      })
      .filter((s) => s !== undefined)
      .sort();
    expect(subjects).toEqual([
      'repo:contoso/llmops-platform:environment:aws-dev',
      'repo:contoso/llmops-platform:environment:aws-dev-plan',
      'repo:contoso/llmops-platform:environment:aws-dev-verify',
    ]);
    expect(Object.keys(template('bootstrap-aws-dev').Outputs ?? {}).sort()).toEqual([
      'DeployRoleArn',
      'PlanRoleArn',
      'VerifyRoleArn',
    ]);
  });

  test('the bootstrap stack owns the account singletons (aws-dev manages them)', () => {
    for (const type of [
      'AWS::IAM::OIDCProvider',
      'Custom::BedrockModelInvocationLogging',
      'AWS::XRay::TransactionSearchConfig',
      'AWS::ApiGateway::Account',
    ]) {
      expect({ type, count: ofType('bootstrap-aws-dev', type).length }).toEqual({ type, count: 1 });
      expect({ type, count: ofType('aws-dev', type).length }).toEqual({ type, count: 0 });
    }
  });

  test('the environment publishes its gateway URL, and the public collection allows public access', () => {
    expect(Object.keys(template('aws-dev').Outputs ?? {})).toContain('GatewayUrl');
    const network = ofType('aws-dev', 'AWS::OpenSearchServerless::SecurityPolicy').find(
      ([, r]) => r.Properties!.Type === 'network',
    )!;
    expect(JSON.stringify(network[1].Properties!.Policy)).toContain('AllowFromPublic');
    expect(ofType('aws-dev', 'AWS::EC2::VPC')).toHaveLength(0);
  });

  test('every alarm notifies the default action group topic', () => {
    const alarms = ofType('aws-dev', 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(10);
    const topicId = ofType('aws-dev', 'AWS::SNS::Topic')[0]![0];
    for (const [id, alarm] of alarms) {
      expect({ id, actions: alarm.Properties!.AlarmActions }).toEqual({ id, actions: [{ Ref: topicId }] });
    }
  });
});
