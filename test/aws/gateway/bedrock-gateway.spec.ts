import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockGateway, type BedrockGatewayProps } from '../../../constructs/aws/gateway';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const PROFILE_CHAT = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/chat0001';
const PROFILE_CHAT_V2 = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/chat0002';
const MODEL_HAIKU = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0';
const MODEL_SONNET = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0';
const GUARDRAIL = 'arn:aws:bedrock:us-east-1:111122223333:guardrail/abcdef123456';

interface Built {
  readonly stack: Stack;
  readonly template: Template;
  readonly gateway: BedrockGateway;
  readonly app: iam.Role;
}

function build(
  overrides: Partial<BedrockGatewayProps> = {},
  before: (stack: Stack, gateway: BedrockGateway) => void = () => {},
): Built {
  const stack = awsStack();
  const app = new iam.Role(stack, 'AppRole', { assumedBy: new iam.AccountRootPrincipal() });
  const gateway = new BedrockGateway(stack, 'Gateway', {
    deployments: {
      chat: { inferenceProfileArn: PROFILE_CHAT, foundationModelArns: [MODEL_HAIKU] },
      'chat-v2': { inferenceProfileArn: PROFILE_CHAT_V2, foundationModelArns: [MODEL_SONNET] },
    },
    experiments: {
      chat: {
        variants: {
          control: { deployment: 'chat', weight: 90 },
          candidate: { deployment: 'chat-v2', promptVersion: 'v7', weight: 10 },
        },
      },
    },
    consumers: { app: { role: app, tokensPerMinute: 50_000 } },
    guardrail: { guardrailArn: GUARDRAIL, guardrailVersion: '3' },
    ...overrides,
  });
  before(stack, gateway);
  return { stack, template: templateOf(stack), gateway, app };
}

/** The router's ROUTER_CONFIG, with the tokens (table name, role ARNs) as their CloudFormation expressions. */
function routerConfig(template: Template): Record<string, unknown> {
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]!;
  const parts = fn.Properties.Environment.Variables.ROUTER_CONFIG['Fn::Join'][1] as unknown[];
  const text = parts
    .map((p) => (typeof p === 'string' ? p : `<${Object.values(p as object)[0].toString()}>`))
    .join('');
  return JSON.parse(text);
}

function routerPolicyStatements(template: Template): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^GatewayRouterRole') }] },
  });
  return Object.values(policies)[0]!.Properties.PolicyDocument.Statement;
}

describe('BedrockGateway', () => {
  describe('GIVEN deployments, an experiment, a consumer and a guardrail', () => {
    const { template } = build();

    test('THEN the REST API is regional, every method needs SigV4 and no account CloudWatch role is created', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        EndpointConfiguration: { Types: ['REGIONAL'] },
      });
      template.resourceCountIs('AWS::ApiGateway::Account', 0);
      template.resourceCountIs('AWS::ApiGateway::Method', 1);
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        AuthorizationType: 'AWS_IAM',
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{deployment}' });
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'converse' });
    });

    test('THEN the stage writes JSON access logs with the caller to an encrypted log group, traced', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'v1',
        TracingEnabled: true,
        AccessLogSetting: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GatewayAccessLogs'), 'Arn'] },
          Format: Match.serializedJson(
            Match.objectLike({
              requestId: '$context.requestId',
              status: '$context.status',
              caller: '$context.identity.userArn',
              integrationLatency: '$context.integration.latency',
            }),
          ),
        },
      });
      const groups = template.findResources('AWS::Logs::LogGroup');
      expect(Object.keys(groups)).toHaveLength(2);
      for (const group of Object.values(groups)) {
        expect(group.Properties.RetentionInDays).toBe(30);
        expect(group.Properties.KmsKeyId).toEqual({
          'Fn::GetAtt': [expect.stringMatching(/^GatewayKey/), 'Arn'],
        });
        expect(group.DeletionPolicy).toBe('Retain');
      }
    });

    test('THEN the key rotates, is retained and lets CloudWatch Logs of this region use it', () => {
      template.hasResource('AWS::KMS::Key', {
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Principal: { Service: 'logs.us-east-1.amazonaws.com' },
                Condition: {
                  ArnLike: {
                    'kms:EncryptionContext:aws:logs:arn': {
                      'Fn::Join': [
                        '',
                        [
                          'arn:',
                          { Ref: 'AWS::Partition' },
                          ':logs:us-east-1:',
                          { Ref: 'AWS::AccountId' },
                          ':log-group:*',
                        ],
                      ],
                    },
                  },
                },
              }),
            ]),
          },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('THEN the token table has TTL, PITR, KMS encryption and is retained', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: {
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: {
            SSEEnabled: true,
            SSEType: 'KMS',
            KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GatewayKey'), 'Arn'] },
          },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('THEN the router runs the committed folder on Node.js 22 with its own log group, traced', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        Timeout: 29,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^GatewayRouterLogs') } },
      });
    });

    test('THEN ROUTER_CONFIG carries deployments, the experiment (control first), consumers, guardrail and logging', () => {
      expect(routerConfig(template)).toEqual({
        tableName: expect.stringMatching(/^<GatewayTokenCounters/),
        metricsNamespace: 'llmops',
        deployments: { chat: { modelId: PROFILE_CHAT }, 'chat-v2': { modelId: PROFILE_CHAT_V2 } },
        experiments: {
          chat: {
            pinHeader: 'x-llmops-variant',
            control: 'control',
            variants: [
              { name: 'control', deployment: 'chat', weight: 90 },
              { name: 'candidate', deployment: 'chat-v2', promptVersion: 'v7', weight: 10 },
            ],
          },
        },
        consumers: [
          { name: 'app', principalArn: expect.stringMatching(/^<AppRole.*,Arn>$/), tokensPerMinute: 50000 },
        ],
        guardrail: { identifier: GUARDRAIL, version: '3' },
        logging: { logBodies: true, bodySampleRatePercent: 100 },
      });
    });

    test('THEN the router role holds exactly: its log stream, InvokeModel on the profiles and models, ApplyGuardrail, UpdateItem, the key, X-Ray', () => {
      expect(routerPolicyStatements(template)).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^GatewayRouterLogs/), 'Arn'] },
        },
        {
          Action: 'bedrock:InvokeModel',
          Effect: 'Allow',
          Resource: [PROFILE_CHAT, MODEL_HAIKU, PROFILE_CHAT_V2, MODEL_SONNET],
        },
        { Action: 'bedrock:ApplyGuardrail', Effect: 'Allow', Resource: GUARDRAIL },
        {
          Action: 'dynamodb:UpdateItem',
          Effect: 'Allow',
          Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^GatewayTokenCounters/), 'Arn'] }],
        },
        {
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^GatewayKey/), 'Arn'] },
        },
        // Active tracing: X-Ray's PutTraceSegments has no resource-level permissions.
        { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
      ]);
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
      const role = Object.values(
        template.findResources('AWS::IAM::Role', {
          Properties: {
            AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
          },
        }),
      )[0]!;
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    test('THEN each consumer role may invoke POST /model/<name>/converse of the stage for each served name only', () => {
      const arn = (name: string) => ({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':execute-api:us-east-1:',
            { Ref: 'AWS::AccountId' },
            ':',
            { Ref: Match.stringLikeRegexp('^GatewayApi') },
            `/v1/POST/model/${name}/converse`,
          ],
        ],
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^AppRole') }],
        PolicyDocument: {
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [arn('chat'), arn('chat-v2')] },
          ],
        },
      });
    });

    test('THEN API Gateway validates the body as a Converse request (a messages array) before the router runs', () => {
      template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      template.hasResourceProperties('AWS::ApiGateway::Model', {
        ContentType: 'application/json',
        Schema: {
          $schema: 'http://json-schema.org/draft-04/schema#',
          type: 'object',
          required: ['messages'],
          properties: { messages: { type: 'array', minItems: 1 } },
        },
      });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        RequestValidatorId: { Ref: Match.stringLikeRegexp('validator') },
        RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('ConverseRequest') } },
      });
      template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    });

    test('THEN API Gateway may invoke the router from the stage only (no test-invoke permission)', () => {
      template.resourceCountIs('AWS::Lambda::Permission', 1);
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
    });
  });

  test('GIVEN no guardrail, a passed key, logging options and DESTROY THEN they are used and no key is created', () => {
    const stack = awsStack();
    const key = new kms.Key(stack, 'SharedKey', { enableKeyRotation: true });
    const app = new iam.Role(stack, 'AppRole', { assumedBy: new iam.AccountRootPrincipal() });
    new BedrockGateway(stack, 'Gateway', {
      deployments: { chat: { inferenceProfileArn: MODEL_HAIKU } },
      consumers: { app: { role: app, tokensPerMinute: 1000 } },
      encryptionKey: key,
      webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/llm/abc',
      logging: { logBodies: false, bodySampleRatePercent: 5, retentionDays: 90 },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SharedKey'), 'Arn'] } },
      },
      DeletionPolicy: 'Delete',
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/llm/abc',
      // the stage's ARN, so the association waits for the stage
      ResourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':apigateway:us-east-1::/restapis/',
            { Ref: Match.stringLikeRegexp('^GatewayApi') },
            '/stages/',
            { Ref: Match.stringLikeRegexp('^GatewayApiDeploymentStagev1') },
          ],
        ],
      },
    });
    const config = routerConfig(template);
    expect(config.logging).toEqual({ logBodies: false, bodySampleRatePercent: 5 });
    expect(config.experiments).toEqual({});
    expect(config.guardrail).toBeUndefined();
    const statements = routerPolicyStatements(template) as { Action: unknown; Resource: unknown }[];
    expect(statements.map((s) => s.Action)).not.toContain('bedrock:ApplyGuardrail');
    expect(statements.find((s) => s.Action === 'bedrock:InvokeModel')!.Resource).toBe(MODEL_HAIKU);
  });

  test('GIVEN a grantee WHEN grantInvoke THEN it may invoke the converse route', () => {
    let success = false;
    const { template } = build({}, (stack, gateway) => {
      const other = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
      success = gateway.grantInvoke(other).success;
    });
    expect(success).toBe(true);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Other') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke' })] },
    });
  });

  test('GIVEN cdk-nag AwsSolutions THEN synth has no error, each exception acknowledged with a reason', () => {
    const app = new App();
    const stack = new Stack(app, 'Nag', { env: { region: 'us-east-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.AccountRootPrincipal() });
    new BedrockGateway(stack, 'Gateway', {
      deployments: { chat: { inferenceProfileArn: PROFILE_CHAT, foundationModelArns: [MODEL_HAIKU] } },
      consumers: { app: { role, tokensPerMinute: 1000 } },
      guardrail: { guardrailArn: GUARDRAIL, guardrailVersion: '3' },
      webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/llm/abc',
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('fails with every problem of the props at once', () => {
    const stack = awsStack();
    const app = new iam.Role(stack, 'AppRole', { assumedBy: new iam.AccountRootPrincipal() });
    expect(
      () =>
        new BedrockGateway(stack, 'Gateway', {
          deployments: {
            chat: { inferenceProfileArn: PROFILE_CHAT },
            'bad name': { inferenceProfileArn: PROFILE_CHAT },
          },
          experiments: {
            chat: {
              pinHeader: 'x variant',
              variants: {
                control: { deployment: 'chat', weight: 70 },
                candidate: { deployment: 'chat-v3', promptVersion: 'v 7', weight: 20.5 },
              },
            },
            empty: { variants: {} },
          },
          consumers: { app: { role: app, tokensPerMinute: 0 }, '-x': { role: app, tokensPerMinute: 1.5 } },
          logging: { bodySampleRatePercent: 101, retentionDays: 31 },
        }),
    ).toThrow(
      exactly(
        [
          'Invalid BedrockGateway "Gateway":',
          '  - props.deployments.bad name: deployment name "bad name" breaks the rule: 1-64 letters, digits, "_", "." and "-", starting with a letter or digit',
          '  - props.experiments.chat.pinHeader: "x variant" is not a header name: letters, digits and "-", starting with a letter',
          '  - props.experiments.chat.variants.candidate.weight: 20.5 is out of range: an integer percentage 0-100',
          '  - props.experiments.chat.variants.candidate.deployment: "chat-v3" is not a deployment of the gateway (declared: chat, bad name)',
          '  - props.experiments.chat.variants.candidate.promptVersion: "v 7" breaks the rule: 1-64 letters, digits, "_", "." and "-", starting with a letter or digit',
          '  - props.experiments.chat.variants: weights 70 (control) + 20.5 (candidate) = 90.5, must sum to 100',
          '  - props.experiments.empty.variants: declare at least one variant',
          '  - props.consumers.app.tokensPerMinute: 0 must be a positive integer',
          '  - props.consumers.-x: consumer name "-x" breaks the rule: 1-64 letters, digits, "_", "." and "-", starting with a letter or digit',
          '  - props.consumers.-x.tokensPerMinute: 1.5 must be a positive integer',
          '  - props.logging.bodySampleRatePercent: 101 is out of range: 0-100 percent',
          '  - props.logging.retentionDays: 31 is not a CloudWatch Logs retention period: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
        ].join('\n'),
      ),
    );
  });

  test('fails without deployments or consumers', () => {
    const stack = awsStack();
    expect(() => new BedrockGateway(stack, 'Gateway', { deployments: {}, consumers: {} })).toThrow(
      exactly(
        [
          'Invalid BedrockGateway "Gateway":',
          '  - props.deployments: declare at least one deployment',
          '  - props.consumers: declare at least one consumer: only consumers can call the gateway, each under its own token limit',
        ].join('\n'),
      ),
    );
  });
});
