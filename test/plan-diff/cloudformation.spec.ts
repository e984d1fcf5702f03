import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORCES_NEW, isCloudFormationType, resourceTypesWhere } from '../../constructs/core/resource-types';
import { type ExitCode, reportError } from '../../lib/cli/exit';
import { planDiffMain } from '../../lib/plan-diff/cli';
import { forcesNewArgument } from '../../lib/plan-diff/forces-new';
import { renderMarkdown } from '../../lib/plan-diff/render';
import { loadSynthOutput, parseSynthOutput } from '../../lib/plan-diff/synth-output';
import {
  type CfnResources,
  cfnTemplate,
  diffAwsDev,
  removeTempDirs,
  stackJson,
  tempDir,
  writeCloudAssembly,
  writeSynthDir,
} from './helpers';

afterEach(removeTempDirs);

/** Runs the command like `runMain` does: errors map to their exit code and print on stderr. */
function run(...argv: string[]): { code: ExitCode; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => {
      stdout += t;
    },
    stderr: (t: string) => {
      stderr += t;
    },
    writeFile: () => undefined,
  };
  let code: ExitCode;
  try {
    code = planDiffMain(argv, io);
  } catch (error) {
    code = reportError(error, io.stderr);
  }
  return { code, stdout, stderr };
}

const KEY_ARN = { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] };
const RETAIN = { UpdateReplacePolicy: 'Retain', DeletionPolicy: 'Retain' };

const BUCKET = {
  Type: 'AWS::S3::Bucket',
  Properties: {
    BucketName: 'llmops-aws-dev-docs',
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN } },
      ],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    VersioningConfiguration: { Status: 'Enabled' },
  },
  ...RETAIN,
};
const COLLECTION = {
  Type: 'AWS::OpenSearchServerless::Collection',
  Properties: { Name: 'llmops-aws-dev', Type: 'VECTORSEARCH', StandbyReplicas: 'DISABLED' },
  ...RETAIN,
};
const LOG_GROUP = {
  Type: 'AWS::Logs::LogGroup',
  Properties: { LogGroupName: '/llmops/aws-dev/invocations', RetentionInDays: 30, KmsKeyId: KEY_ARN },
  ...RETAIN,
};
const KEY = {
  Type: 'AWS::KMS::Key',
  Properties: { EnableKeyRotation: true, KeyPolicy: { Statement: [], Version: '2012-10-17' } },
  ...RETAIN,
};
const TOPIC = { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'llmops alerts' } };

const STACK: CfnResources = {
  DocsBucket: BUCKET,
  Collection: COLLECTION,
  InvocationLogs: LOG_GROUP,
  Key961B73FD: KEY,
  AlertsTopic: TOPIC,
};

/** `STACK` with `id` changed by `patch` (a resource, or `undefined` to remove it). */
const patched = (id: string, resource: Record<string, unknown> | undefined): CfnResources => {
  const out: CfnResources = { ...STACK };
  if (resource === undefined) delete out[id];
  else out[id] = resource;
  return out;
};

/** `[logical ID, kind, message]` of the blocking findings. */
const blocking = (base: CfnResources, head: CfnResources) =>
  diffAwsDev(base, head).blocking.map((f) => [f.address, f.kind, f.message]);

/** Writes base and head cloud assemblies of one stack `aws-dev`. */
function assemblies(base: CfnResources, head: CfnResources): [string, string] {
  return [
    writeCloudAssembly(tempDir(), { 'aws-dev': cfnTemplate(base) }),
    writeCloudAssembly(tempDir(), { 'aws-dev': cfnTemplate(head, 'v2') }),
  ];
}

describe('plan:diff on cdk.out: exit codes', () => {
  test('unchanged -> 0, although aws-cdk metadata (construct paths, CDKMetadata, bootstrap parameter) differs', () => {
    const [base, head] = assemblies(STACK, STACK);
    const result = run('--base', base, '--head', head);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('**No blocking changes.** 0 notable changes.');
    expect(result.stdout).toContain('### Stack `aws-dev`\n\nNo changes.');
    expect(result.stderr).toBe('plan-diff: no blocking change left (0 acknowledged, 0 notable)\n');
  });

  test('removed bucket -> 1, naming stack, logical ID, type and why', () => {
    const [base, head] = assemblies(STACK, patched('DocsBucket', undefined));
    const result = run('--base', base, '--head', head);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '- `aws-dev` `DocsBucket` (`AWS::S3::Bucket`): stateful `AWS::S3::Bucket` removed from the stack ' +
        '(DeletionPolicy `Retain`: CloudFormation keeps it in the account, outside any stack)',
    );
    expect(result.stdout).toContain('- `DocsBucket` (`AWS::S3::Bucket`)');
    expect(result.stdout).toContain('| `aws-dev` | 0 | 0 | 0 | 0 | 1 |');
    expect(result.stdout).toContain(
      '<sub>Compared synthesized CloudFormation templates (`cdk.out`) without a change set',
    );
    expect(result.stderr).toContain('plan-diff: 1 blocking change(s) not acknowledged');
  });

  test('replaced collection (Name changed) -> 1; --allow <stack>:<logical ID> acknowledges it -> 0', () => {
    const renamed = { ...COLLECTION, Properties: { ...COLLECTION.Properties, Name: 'llmops-aws-dev-2' } };
    const [base, head] = assemblies(STACK, patched('Collection', renamed));
    const result = run('--base', base, '--head', head);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '- `aws-dev` `Collection` (`AWS::OpenSearchServerless::Collection`): stateful ' +
        '`AWS::OpenSearchServerless::Collection` replaced (destroyed and created): `Name` changed ' +
        '(CloudFormation: update requires replacement) (UpdateReplacePolicy `Retain`: the old one is kept, ' +
        'outside any stack; the new one starts empty)',
    );
    expect(result.stdout).toContain(
      'Properties.Name: "llmops-aws-dev" -> "llmops-aws-dev-2"   # forces replacement',
    );
    expect(run('--base', base, '--head', head, '--allow', 'aws-dev:Collection').code).toBe(0);
  });

  test('a replacement that also drops UpdateReplacePolicy Retain does not claim the old one is kept', () => {
    const head = patched('Collection', {
      Type: COLLECTION.Type,
      Properties: { ...COLLECTION.Properties, Type: 'SEARCH' },
      DeletionPolicy: 'Retain',
    });
    expect(blocking(STACK, head).map(([, , m]) => m)).toEqual([
      'stateful `AWS::OpenSearchServerless::Collection` replaced (destroyed and created): `Type` changed (CloudFormation: update requires replacement)',
      'UpdateReplacePolicy Retain removed (a replacement deletes the old resource and its data): `UpdateReplacePolicy`: `"Retain"` -> `(absent)`',
    ]);
  });

  test('logical ID change of a stateful resource -> 1 (CloudFormation deletes and creates)', () => {
    const head = patched('DocsBucket', undefined);
    head.DocumentsBucket = BUCKET;
    const [b, h] = assemblies(STACK, head);
    const result = run('--base', b, '--head', h);
    expect(result.code).toBe(1);
    expect(blocking(STACK, head)).toEqual([
      [
        'DocumentsBucket',
        'stateful-replace',
        'stateful `AWS::S3::Bucket` replaced (destroyed and created): logical ID changed from `DocsBucket` ' +
          '(CloudFormation deletes the old resource and creates a new one) (UpdateReplacePolicy `Retain`: ' +
          'the old one is kept, outside any stack; the new one starts empty)',
      ],
    ]);
    expect(result.stdout).toContain('- `aws-dev` `DocumentsBucket` (`AWS::S3::Bucket`) (was `DocsBucket`):');
  });

  test('logical ID change with other properties too: the removal blocks', () => {
    const head = patched('InvocationLogs', undefined);
    head.Logs = { ...LOG_GROUP, Properties: { ...LOG_GROUP.Properties, RetentionInDays: 90 } };
    expect(blocking(STACK, head)).toEqual([
      [
        'InvocationLogs',
        'stateful-destroy',
        'stateful `AWS::Logs::LogGroup` removed from the stack (DeletionPolicy `Retain`: CloudFormation keeps ' +
          'it in the account, outside any stack)',
      ],
    ]);
  });

  test('DeletionPolicy Retain -> Delete on a stateful resource -> 1', () => {
    const head = patched('Key961B73FD', { ...KEY, DeletionPolicy: 'Delete' });
    const [b, h] = assemblies(STACK, head);
    expect(run('--base', b, '--head', h).code).toBe(1);
    expect(blocking(STACK, head)).toEqual([
      [
        'Key961B73FD',
        'prevent-destroy',
        'DeletionPolicy Retain removed (CloudFormation deletes it with the stack): `DeletionPolicy`: `"Retain"` -> `"Delete"`',
      ],
    ]);
    const noPolicies = { Type: BUCKET.Type, Properties: BUCKET.Properties };
    expect(blocking(STACK, patched('DocsBucket', noPolicies)).map(([, , m]) => m)).toEqual([
      'DeletionPolicy Retain removed (CloudFormation deletes it with the stack): `DeletionPolicy`: `"Retain"` -> `(absent)`',
      'UpdateReplacePolicy Retain removed (a replacement deletes the old resource and its data): `UpdateReplacePolicy`: `"Retain"` -> `(absent)`',
    ]);
  });

  test('non-stateful and in-place changes -> 0', () => {
    const head = patched('AlertsTopic', { ...TOPIC, Properties: { DisplayName: 'alerts' } });
    head.InvocationLogs = { ...LOG_GROUP, Properties: { ...LOG_GROUP.Properties, RetentionInDays: 90 } };
    head.Subscription = { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email' } };
    const [b, h] = assemblies(STACK, head);
    const result = run('--base', b, '--head', h);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Properties.RetentionInDays: 30 -> 90');
    expect(result.stdout).toContain('| `aws-dev` | 1 | 2 | 0 | 0 | 0 |');
    // a non-stateful resource removed, or renamed, is shown, not blocking
    expect(blocking(STACK, patched('AlertsTopic', undefined))).toEqual([]);
    const renamed = patched('AlertsTopic', undefined);
    renamed.Alerts = TOPIC;
    expect(blocking(STACK, renamed)).toEqual([]);
  });

  test('a stack only in base is blocking; its resources are named by logical ID', () => {
    const report = diffAwsDev(STACK, STACK);
    expect(report.format).toBe('cloudformation');
    const [b] = assemblies(STACK, STACK);
    const h = writeCloudAssembly(tempDir(), { 'bootstrap-aws-dev': cfnTemplate({ AlertsTopic: TOPIC }) });
    const result = run('--base', b, '--head', h);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('- `aws-dev`: stack removed: all 5 resources in it are destroyed');
  });
});

describe('plan:diff on cdk.out: bad input -> 2 with a clear message', () => {
  test('a cdktf.out and a cdk.out are not compared: one call per output directory', () => {
    const cdktf = writeSynthDir(tempDir(), { dev: stackJson({}) });
    const [cdk] = assemblies(STACK, STACK);
    const result = run('--base', cdktf, '--head', cdk);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: --base ${cdktf} is a cdktf synth output (cdktf.out) but --head ${cdk} is an AWS cloud ` +
        'assembly (cdk.out): compare like with like (cdktf.out with cdktf.out, cdk.out with cdk.out), one ' +
        'plan:diff per output directory\n',
    );
  });

  test('a directory holding both stacks/ and *.template.json is refused', () => {
    const both = writeCloudAssembly(
      writeSynthDir(tempDir(), { dev: stackJson({}) }, false),
      {
        'aws-dev': cfnTemplate(STACK),
      },
      false,
    );
    const result = run('--base', both, '--head', both);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${both}: holds both cdktf stacks (stacks/) and CloudFormation templates (*.template.json); pass cdktf.out and cdk.out separately`,
    );
  });

  test('a manifest that is neither cdktf nor a cloud assembly', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0' }));
    const result = run('--base', dir, '--head', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${path.join(dir, 'manifest.json')}: neither a cdktf manifest ("stacks") nor a cloud assembly manifest ("artifacts")`,
    );
  });

  test('a template file that is missing, not JSON, or has malformed resources', () => {
    const missing = writeCloudAssembly(tempDir(), { 'aws-dev': cfnTemplate(STACK) });
    fs.rmSync(path.join(missing, 'aws-dev.template.json'));
    expect(run('--base', missing, '--head', missing).stderr).toContain(
      `${path.join(missing, 'aws-dev.template.json')}: stack file not found`,
    );

    const broken = writeCloudAssembly(tempDir(), { 'aws-dev': cfnTemplate(STACK) });
    fs.writeFileSync(path.join(broken, 'aws-dev.template.json'), '{ not json');
    const notJson = run('--base', broken, '--head', broken);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain(`${path.join(broken, 'aws-dev.template.json')}: invalid JSON (`);

    const malformed = writeCloudAssembly(tempDir(), {
      'aws-dev': { Resources: { Bucket: { Properties: {} }, Topic: 'x' } },
    });
    const bad = run('--base', malformed, '--head', malformed);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Resources.Bucket: must be an object with a "Type" string');
    expect(bad.stderr).toContain('Resources.Topic: must be an object with a "Type" string');
  });

  test('a nested cloud assembly (an aws-cdk Stage) is named, not silently skipped', () => {
    const dir = writeCloudAssembly(tempDir(), { 'aws-dev': cfnTemplate(STACK) });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.artifacts['assembly-Prod'] = {
      type: 'cdk:cloud-assembly',
      properties: { directoryName: 'assembly-Prod' },
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const result = run('--base', dir, '--head', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'artifact "assembly-Prod" is a nested cloud assembly (an aws-cdk Stage), which plan:diff does not read',
    );
  });

  test('an empty directory names both layouts it looked for', () => {
    const empty = tempDir();
    expect(run('--base', empty, '--head', empty).stderr).toContain(
      `${empty}: no stacks found (expected ${path.join(empty, 'stacks', '<stack>', 'cdk.tf.json')} or ${path.join(empty, '<stack>.template.json')})`,
    );
  });
});

describe('reading a cloud assembly', () => {
  test('without manifest.json: every <stack>.template.json, nested-stack templates left out', () => {
    const dir = writeCloudAssembly(
      tempDir(),
      { 'aws-dev': cfnTemplate(STACK), 'bootstrap-aws-dev': cfnTemplate({}) },
      false,
    );
    fs.writeFileSync(
      path.join(dir, 'awsdevNested1234.nested.template.json'),
      JSON.stringify(cfnTemplate({})),
    );
    const output = loadSynthOutput(dir);
    expect(output.format).toBe('cloudformation');
    expect([...output.stacks.keys()]).toEqual(['aws-dev', 'bootstrap-aws-dev']);
    // the logical ID is the address; Metadata and CDKMetadata are gone, resource attributes stay
    expect(output.stacks.get('aws-dev')!.resources.get('DocsBucket')).toEqual({
      address: 'DocsBucket',
      name: 'DocsBucket',
      type: 'AWS::S3::Bucket',
      body: { Properties: BUCKET.Properties, ...RETAIN },
    });
    expect(output.stacks.get('aws-dev')!.resources.has('CDKMetadata')).toBe(false);
  });

  test('with manifest.json: the stack name is properties.stackName, else the artifact id', () => {
    const dir = writeCloudAssembly(tempDir(), { AwsDevStack: cfnTemplate(STACK) });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.artifacts.AwsDevStack.properties.stackName = 'aws-dev';
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect([...loadSynthOutput(dir).stacks.keys()]).toEqual(['aws-dev']);
  });

  test('a real aws-cdk-lib synth (app.synth() into cdk.out) is read: a removed bucket blocks', () => {
    // GIVEN two apps synthesized by aws-cdk-lib itself, the head one without the bucket
    const { App, RemovalPolicy, Stack } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const s3 = require('aws-cdk-lib/aws-s3') as typeof import('aws-cdk-lib/aws-s3');
    const synth = (withBucket: boolean): string => {
      const outdir = tempDir();
      const app = new App({ outdir });
      const stack = new Stack(app, 'aws-dev', { env: { region: 'us-east-1' } });
      if (withBucket) new s3.Bucket(stack, 'Docs', { removalPolicy: RemovalPolicy.RETAIN });
      new s3.Bucket(stack, 'Other', { versioned: true });
      app.synth();
      return outdir;
    };
    const result = run('--base', synth(true), '--head', synth(false));
    // THEN the bucket's removal is blocking, named by its logical ID and type
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /- `aws-dev` `Docs[0-9A-F]{8}` \(`AWS::S3::Bucket`\): stateful `AWS::S3::Bucket` removed from the stack \(DeletionPolicy `Retain`/,
    );
  });
});

describe('security regressions on CloudFormation resources', () => {
  const PAB = BUCKET.Properties.PublicAccessBlockConfiguration;
  test.each([
    [
      'S3 public access block weakened',
      'DocsBucket',
      {
        ...BUCKET,
        Properties: {
          ...BUCKET.Properties,
          PublicAccessBlockConfiguration: { ...PAB, BlockPublicPolicy: false },
        },
      },
      'S3 public access block weakened (BlockPublicPolicy): `Properties.PublicAccessBlockConfiguration.BlockPublicPolicy`: `true` -> `false`',
    ],
    [
      'S3 KMS encryption replaced by S3-managed keys',
      'DocsBucket',
      {
        ...BUCKET,
        Properties: {
          ...BUCKET.Properties,
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
        },
      },
      [
        'S3 encryption with a KMS key replaced by S3-managed keys: `Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm`: `"aws:kms"` -> `"AES256"`',
        'customer-managed KMS key removed: `Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID`',
      ],
    ],
    [
      'log group KMS key removed',
      'InvocationLogs',
      { ...LOG_GROUP, Properties: { LogGroupName: '/llmops/aws-dev/invocations', RetentionInDays: 30 } },
      'customer-managed KMS key removed: `Properties.KmsKeyId`',
    ],
    [
      'KMS key rotation turned off',
      'Key961B73FD',
      { ...KEY, Properties: { ...KEY.Properties, EnableKeyRotation: false } },
      'KMS key rotation turned off: `Properties.EnableKeyRotation`: `true` -> `false`',
    ],
  ])('%s is blocking', (_, id, resource, messages) => {
    expect(blocking(STACK, patched(id, resource))).toEqual(
      [messages].flat().map((m) => [id, expect.any(String), m]),
    );
  });

  const networkPolicy = (allowFromPublic: boolean) => ({
    Type: 'AWS::OpenSearchServerless::SecurityPolicy',
    Properties: {
      Name: 'llmops-aws-dev-net',
      Type: 'network',
      Policy: JSON.stringify([
        {
          Rules: [{ ResourceType: 'collection', Resource: ['collection/llmops-aws-dev'] }],
          AllowFromPublic: allowFromPublic,
          ...(allowFromPublic ? {} : { SourceVPCEs: ['vpce-0123'] }),
        },
      ]),
    },
  });
  const encryptionPolicy = (awsOwned: boolean) => ({
    Type: 'AWS::OpenSearchServerless::SecurityPolicy',
    Properties: {
      Name: 'llmops-aws-dev-enc',
      Type: 'encryption',
      Policy: JSON.stringify({
        Rules: [{ ResourceType: 'collection', Resource: ['collection/llmops-aws-dev'] }],
        ...(awsOwned
          ? { AWSOwnedKey: true }
          : { AWSOwnedKey: false, KmsARN: 'arn:aws:kms:us-east-1:1:key/k' }),
      }),
    },
  });

  test('OpenSearch Serverless network policy turned public is blocking; closing it is not', () => {
    const base = { ...STACK, Net: networkPolicy(false) };
    expect(blocking(base, { ...STACK, Net: networkPolicy(true) })).toEqual([
      [
        'Net',
        'public-access',
        'OpenSearch Serverless network policy opened to the internet: `AllowFromPublic` `false` -> `true`',
      ],
    ]);
    expect(blocking({ ...STACK, Net: networkPolicy(true) }, base)).toEqual([]);
  });

  test('OpenSearch Serverless encryption policy moved to an AWS-owned key is blocking', () => {
    expect(
      blocking({ ...STACK, Enc: encryptionPolicy(false) }, { ...STACK, Enc: encryptionPolicy(true) }),
    ).toEqual([
      [
        'Enc',
        'encryption',
        'OpenSearch Serverless encryption policy: customer-managed key replaced by an AWS-owned key (`AWSOwnedKey` `true`)',
      ],
    ]);
    // a policy built from tokens (Fn::Join) is not a JSON string: nothing is inferred
    const joined = {
      ...encryptionPolicy(true),
      Properties: { Name: 'x', Type: 'encryption', Policy: { 'Fn::Join': ['', []] } },
    };
    expect(blocking({ ...STACK, Enc: encryptionPolicy(false) }, { ...STACK, Enc: joined })).toEqual([]);
  });

  test('an IAM statement gaining `*` on `*` is blocking, on a new policy too; a scoped one is not', () => {
    const policy = (actions: unknown, resources: unknown) => ({
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'deploy',
        PolicyDocument: {
          Statement: [
            {
              Action: 'bedrock:InvokeModel',
              Effect: 'Allow',
              Resource: 'arn:aws:bedrock:*::foundation-model/x',
            },
            { Action: actions, Effect: 'Allow', Resource: resources },
          ],
          Version: '2012-10-17',
        },
      },
    });
    const scoped = policy(['s3:GetObject'], ['arn:aws:s3:::b/*']);
    const admin = policy('*', '*');
    const message =
      'IAM statement allows `*` actions on `*` resources: `Properties.PolicyDocument.Statement[1]`';
    expect(blocking({ ...STACK, Policy: scoped }, { ...STACK, Policy: admin })).toEqual([
      ['Policy', 'iam-wildcard', message],
    ]);
    expect(blocking(STACK, { ...STACK, Policy: policy(['*:*'], ['*']) })).toEqual([
      ['Policy', 'iam-wildcard', message],
    ]);
    expect(blocking({ ...STACK, Policy: admin }, { ...STACK, Policy: admin })).toEqual([]);
    expect(blocking(STACK, { ...STACK, Policy: policy('s3:*', '*') })).toEqual([]);
    const deny = {
      ...admin,
      Properties: {
        ...admin.Properties,
        PolicyDocument: { Statement: { Action: '*', Effect: 'Deny', Resource: '*' } },
      },
    };
    expect(blocking(STACK, { ...STACK, Policy: deny })).toEqual([]);
  });

  test('key ids, key policies and tag keys print, not as (sensitive)', () => {
    const head = patched('Key961B73FD', {
      ...KEY,
      Properties: { ...KEY.Properties, KeyPolicy: { Statement: [], Version: '2012-10-17', Id: 'new' } },
      Tags: undefined,
    });
    head.InvocationLogs = {
      ...LOG_GROUP,
      Properties: { ...LOG_GROUP.Properties, Tags: [{ Key: 'env', Value: 'dev' }] },
    };
    const text = renderMarkdown(diffAwsDev(STACK, head));
    expect(text).toContain('Properties.KeyPolicy.Id: (absent) -> "new"');
    expect(text).toContain('Properties.Tags[0].Key: (absent) -> "env"');
  });
});

describe('every CloudFormation type the registry marks losesDataWhenDestroyed', () => {
  const STATEFUL = resourceTypesWhere((f) => f.losesDataWhenDestroyed === true).filter(isCloudFormationType);

  test('covers the AWS rendering: collection, index, bucket, KMS key, log group, table', () => {
    expect(STATEFUL.sort()).toEqual([
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::Logs::LogGroup',
      'AWS::OpenSearchServerless::Collection',
      'AWS::OpenSearchServerless::Index',
      'AWS::S3::Bucket',
    ]);
  });

  test.each(STATEFUL)('removing a %s blocks (without DeletionPolicy too)', (type) => {
    expect(blocking({ Main: { Type: type, Properties: {} } }, {})).toEqual([
      ['Main', 'stateful-destroy', `stateful \`${type}\` removed from the stack`],
    ]);
  });

  const replacements = STATEFUL.flatMap((type) => {
    const attributes = FORCES_NEW[type]?.attributes;
    return Array.isArray(attributes) ? attributes.map((a) => [type, a as string] as const) : [];
  });

  test.each(replacements)('%s: changing %s replaces it, which blocks', (type, property) => {
    const before = { Main: { Type: type, Properties: { [property]: 'a' } } };
    const after = { Main: { Type: type, Properties: { [property]: 'b' } } };
    expect(blocking(before, after)).toEqual([
      [
        'Main',
        'stateful-replace',
        `stateful \`${type}\` replaced (destroyed and created): \`${property}\` changed (CloudFormation: update requires replacement)`,
      ],
    ]);
  });

  test('a change of its Type under the same logical ID is a replacement', () => {
    const before = { Main: { Type: 'AWS::S3::Bucket', Properties: {} } };
    const after = { Main: { Type: 'AWS::SNS::Topic', Properties: {} } };
    expect(blocking(before, after).map(([, kind]) => kind)).toEqual(['stateful-replace']);
  });
});

describe('forcesNewArgument on CloudFormation types', () => {
  test('only a change under Properties, of a listed top-level property, replaces', () => {
    const collection = 'AWS::OpenSearchServerless::Collection';
    expect(forcesNewArgument(collection, 'Properties.Name', 'a', 'b')).toBe('Name');
    expect(forcesNewArgument(collection, 'Properties.Tags.Value', 'a', 'b')).toBe('Tags');
    expect(forcesNewArgument(collection, 'Properties.Description', 'a', 'b')).toBeUndefined();
    expect(forcesNewArgument(collection, 'DeletionPolicy', 'Retain', 'Delete')).toBeUndefined();
    expect(forcesNewArgument(collection, 'Name', 'a', 'b')).toBeUndefined();
    expect(forcesNewArgument('AWS::SNS::Topic', 'Properties.TopicName', 'a', 'b')).toBeUndefined();
  });
});

describe('parseSynthOutput with format cloudformation', () => {
  test('rejects a template that is no object, naming the stack', () => {
    expect(() => parseSynthOutput({ 'aws-dev': [] }, 'base', 'cloudformation')).toThrow(
      'base: stack aws-dev',
    );
  });
});
