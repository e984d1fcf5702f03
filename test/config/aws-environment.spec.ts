import { ValidationError } from '../../constructs/core/errors';
import { parseConfig } from '../../lib/config/load';

const HEADER = `defaults:
  workload: llmops
  namingSeed: test
  tags: { owner: test-team }
  pipeline: { github: { repository: contoso/llmops-platform } }
environments:
`;

function problemsOf(environment: string): string[] {
  try {
    parseConfig(`${HEADER}${environment}`, 'config/test.yaml');
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('an AWS environment (cloud: aws)', () => {
  test('names versioned Bedrock model IDs: an Azure OpenAI name, a floating ID or a version key is exit 2, each named', () => {
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
    models:
      deployments:
        chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
        next: { role: chat, model: anthropic.claude-sonnet-4-5-20250929-v1, aws: { crossRegion: us } }
        embedding: { role: chat, model: "amazon.titan-embed-text-v2:0" }
`).sort(),
    ).toEqual([
      'environments.aws-dev.models.deployments.chat.model: "gpt-4o" is an Azure OpenAI model name, not a Bedrock model ID: an AWS environment names a versioned Bedrock model ID such as "anthropic.claude-sonnet-4-5-20250929-v1:0" or "amazon.titan-embed-text-v2:0"',
      'environments.aws-dev.models.deployments.chat.version: "2024-11-20": an AWS deployment\'s version is part of its model ID ("gpt-4o"): remove version',
      'environments.aws-dev.models.deployments.embedding.role: "chat" does not match "amazon.titan-embed-text-v2:0", an embedding model',
      'environments.aws-dev.models.deployments.next.model: "anthropic.claude-sonnet-4-5-20250929-v1" is not pinned to a version: give the ID with its ":<version>" suffix, such as "anthropic.claude-sonnet-4-5-20250929-v1:0" or "amazon.titan-embed-text-v2:0" (floating IDs are not allowed)',
      'environments.aws-dev.search.indexes.docs-v1.embeddingDeployment: the index needs an embedding deployment and models.deployments has none with role embedding: add one',
    ]);
  });

  test('a model Bedrock serves only through profiles needs one that reaches the region', () => {
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
    models:
      deployments:
        chat: { role: chat, model: "anthropic.claude-sonnet-4-5-20250929-v1:0", aws: { crossRegion: eu } }
        embedding: { role: embedding, model: "amazon.titan-embed-text-v2:0" }
`),
    ).toEqual([
      'environments.aws-dev.models.deployments.chat.aws.crossRegion: the "eu" profile of "anthropic.claude-sonnet-4-5-20250929-v1:0" cannot be used from us-east-1: its Regions are eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3',
    ]);
  });

  test('without the account singletons it needs the existing GitHub OIDC provider', () => {
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1, account: { manageSingletons: false } }
`),
    ).toEqual([
      'environments.aws-dev.aws.account.githubOidcProviderArn: is required when manageSingletons is false: the GitHub OIDC provider exists once per account, created by the environment that manages the singletons; give its ARN',
    ]);
  });

  test('a private AWS environment names Availability Zones of its region', () => {
    expect(
      problemsOf(`  aws-prod:
    cloud: aws
    profile: production
    aws: { region: us-east-1 }
    network: { mode: private }
  aws-stg:
    cloud: aws
    profile: production
    aws: { region: us-east-1 }
    network: { mode: private, aws: { availabilityZones: [us-east-1a, eu-west-1b, us-east-1a] } }
`).sort(),
    ).toEqual([
      'environments.aws-prod.network.aws.availabilityZones: is required in a private AWS environment: name 2 or 3 Availability Zones of us-east-1, e.g. [us-east-1a, us-east-1b]',
      'environments.aws-stg.network.aws.availabilityZones[1]: "eu-west-1b" is not an Availability Zone of us-east-1',
      'environments.aws-stg.network.aws.availabilityZones[2]: "us-east-1a" is listed twice',
    ]);
  });

  test('an index OpenSearch Serverless cannot serve is exit 2 at the field', () => {
    const problems = problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
    search:
      indexes:
        docs-v1:
          fields:
            - { name: id, type: string, key: true }
            - { name: v, type: collection(single), vector: { profile: p } }
          vectorSearch:
            algorithms: { a: { kind: exhaustiveKnn } }
            profiles: { p: { algorithm: a } }
`);
    expect(problems).toEqual([
      'environments.aws-dev.search.indexes.docs-v1.fields[1].vector.profile: vector field "v": algorithm kind "exhaustiveKnn" has no OpenSearch Serverless mapping; use "hnsw" (exhaustive k-NN is a query option in OpenSearch, not an index setting)',
    ]);
  });

  test('the gateway applies one guardrail, and quality alarms look back at most a day', () => {
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
    models:
      aws: { contentFilters: { strict: {}, relaxed: { strength: MEDIUM } } }
      deployments:
        chat: { role: chat, model: "anthropic.claude-sonnet-4-5-20250929-v1:0", aws: { contentFilter: relaxed } }
        embedding: { role: embedding, model: "amazon.titan-embed-text-v2:0" }
    monitoring: { quality: { windowHours: 48 } }
`).sort(),
    ).toEqual([
      'environments.aws-dev.models.deployments.chat.aws.contentFilter: "relaxed" differs from models.aws.defaultContentFilter "strict": the AWS gateway applies one guardrail to every call, so chat deployments behind it use the default',
      'environments.aws-dev.monitoring.quality.windowHours: 48 is longer than a CloudWatch alarm can look back: at most 24 hours in an AWS environment',
    ]);
  });

  test('evaluates with the quality evaluators: safety evaluators and the simulator need an Azure AI project', () => {
    const { environments } = parseConfig(
      `${HEADER}  aws-dev: { cloud: aws, profile: development, aws: { region: us-east-1 } }\n`,
      'config/test.yaml',
    );
    const evaluation = environments['aws-dev']!.evaluation;
    expect(evaluation.evaluators).toEqual([
      'groundedness',
      'relevance',
      'coherence',
      'fluency',
      'similarity',
    ]);
    expect(evaluation.thresholds.violence_defect_rate).toEqual({
      value: 0.01,
      direction: 'max',
      required: false,
    });
    expect(evaluation.thresholds.groundedness!.required).toBe(true);
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
    evaluation:
      evaluators: [groundedness, relevance, coherence, violence]
      synthetic: { sourceText: evaluation/data/source.txt }
`),
    ).toEqual([
      'environments.aws-dev.evaluation.evaluators.3: "violence" needs an Azure AI project, which an AWS environment has none of: list only groundedness, relevance, coherence, fluency, similarity (the guardrail is the content-safety control)',
      'environments.aws-dev.evaluation.synthetic: the synthetic-data step runs the Azure AI Evaluation simulator, which an AWS environment cannot: remove it',
    ]);
  });

  test('one environment per account and region manages the singletons, one per account creates the OIDC provider', () => {
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1, account: { id: "123456789012" } }
  aws-qa:
    cloud: aws
    profile: development
    aws: { region: us-east-1, account: { id: "123456789012" } }
  aws-eu:
    cloud: aws
    profile: development
    aws: { region: eu-central-1, account: { id: "123456789012" } }
`),
    ).toEqual([
      'environments.aws-qa.aws.account.manageSingletons: aws-dev already manages the singletons of account 123456789012 in us-east-1: set false here and name the GitHub OIDC provider in aws.account.githubOidcProviderArn',
      'environments.aws-eu.aws.account.githubOidcProviderArn: is required: aws-dev creates the GitHub OIDC provider of account 123456789012 (one per account, in every region); name it here (arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com)',
    ]);
  });

  test('the names the stacks derive for guardrails and inference profiles are checked in config', () => {
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
    models:
      aws:
        contentFilters: { strict: {}, "a-filter-name-far-too-long-for-a-bedrock-guardrail": {} }
      deployments:
        chat.v2: { role: chat, model: "anthropic.claude-sonnet-4-5-20250929-v1:0" }
        embedding: { role: embedding, model: "amazon.titan-embed-text-v2:0" }
`).sort(),
    ).toEqual([
      'environments.aws-dev.models.aws.contentFilters.a-filter-name-far-too-long-for-a-bedrock-guardrail: the guardrail name: "llmops-aws-dev-a-filter-name-far-too-long-for-a-bedrock-guardrail" is not a valid guardrail name: 1-50 letters, digits, "-" and "_"',
      'environments.aws-dev.models.deployments.chat.v2: the inference profile name: "llmops-aws-dev-chat.v2" is not a valid inference profile name: 1-64 letters and digits, with single " ", "_" or "-" between them',
    ]);
  });

  test("gateway consumers: roles of the account with their own token limit; evaluation is the pipeline's; no monthly quota", () => {
    const aws = `  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1, account: { id: "123456789012" } }
`;
    expect(
      problemsOf(`${aws}    gateway:
      tokenLimits: { tokensPerMinute: 20000, monthlyQuota: 1000000 }
      aws:
        consumers:
          evaluation: { roleArn: "arn:aws:iam::123456789012:role/eval" }
          other-account: { roleArn: "arn:aws:iam::210987654321:role/app" }
`).sort(),
    ).toEqual([
      'environments.aws-dev.gateway.aws.consumers.evaluation: "evaluation" is the pipeline\'s evaluation role, which every AWS gateway has: choose another name',
      'environments.aws-dev.gateway.aws.consumers.other-account.roleArn: "arn:aws:iam::210987654321:role/app" is a role of account 210987654321, not of aws.account.id 123456789012: the gateway grants execute-api:Invoke through a policy on the role, which the stack can attach only in its account',
      'environments.aws-dev.gateway.tokenLimits.monthlyQuota: 1000000 has no AWS rendering (the router counts tokens per consumer and minute only; monitoring.budget, an AWS Budgets budget, watches the monthly spend): remove it here, or, when defaults sets it, move it from defaults to the Azure environments',
    ]);
    expect(
      problemsOf(`${aws}    gateway:
      aws:
        consumers:
          linked: { roleArn: "arn:aws:iam::123456789012:role/aws-service-role/bedrock.amazonaws.com/x" }
          app: { roleArn: "arn:aws:iam::123456789012:role/team-a/app" }
          same: { roleArn: "arn:aws:iam::123456789012:role/team-b/app" }
`).sort(),
    ).toEqual([
      'environments.aws-dev.gateway.aws.consumers.linked.roleArn: "arn:aws:iam::123456789012:role/aws-service-role/bedrock.amazonaws.com/x" is a role AWS manages (path aws-service-role/bedrock.amazonaws.com/), which takes no policy the stack attaches: use a role of your own',
      'environments.aws-dev.gateway.aws.consumers.same.roleArn: "arn:aws:iam::123456789012:role/team-b/app" has the role name of consumer app\'s role: the router tells callers apart by role name, so each consumer needs a role of its own',
    ]);
    const many = Array.from(
      { length: 21 },
      (_, i) => `          c${i}: { roleArn: "arn:aws:iam::123456789012:role/c${i}" }`,
    );
    expect(
      problemsOf(`  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
    gateway:
      aws:
        consumers:
${many.join('\n')}
`).sort(),
    ).toEqual([
      'environments.aws-dev.aws.account.id: is required with gateway.aws.consumers: the gateway grants each consumer execute-api:Invoke through a policy on its role, which the stack can attach only to a role of the account it deploys to',
      "environments.aws-dev.gateway.aws.consumers: has 21 consumers, at most 20 are allowed: the router's configuration travels in a Lambda environment variable (4 KB for all of a function's variables)",
    ]);
    expect(
      problemsOf(`${aws}    gateway:
      aws:
        consumers:
          "1st": { roleArn: "arn:aws:iam::123456789012:role/app" }
          app: { roleArn: "arn:aws:iam::123456789012:user/app", tokensPerMinute: 0 }
          empty: { roleArn: "arn:aws:iam::123456789012:role/apps/" }
`).sort(),
    ).toEqual([
      'environments.aws-dev.gateway.aws.consumers.1st: "1st" is not a consumer name: 1-64 letters, digits, "-" and "_", starting with a letter',
      'environments.aws-dev.gateway.aws.consumers.app.roleArn: "arn:aws:iam::123456789012:user/app" is not the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)',
      'environments.aws-dev.gateway.aws.consumers.app.tokensPerMinute: 0 is too small: must be greater than 0',
      'environments.aws-dev.gateway.aws.consumers.empty.roleArn: "arn:aws:iam::123456789012:role/apps/" is not the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)',
    ]);
    const config = parseConfig(
      `${HEADER}${aws}    gateway:
      tokenLimits: { tokensPerMinute: 20000 }
      aws:
        consumers:
          chat-app: { roleArn: "arn:aws:iam::123456789012:role/apps/chat-app" }
          batch: { roleArn: "arn:aws:iam::123456789012:role/batch", tokensPerMinute: 5000 }
`,
      'config/test.yaml',
    );
    expect(config.environments['aws-dev']!.gateway.aws).toEqual({
      consumers: {
        'chat-app': { roleArn: 'arn:aws:iam::123456789012:role/apps/chat-app', tokensPerMinute: 20000 },
        batch: { roleArn: 'arn:aws:iam::123456789012:role/batch', tokensPerMinute: 5000 },
      },
    });
  });

  test('gateway.aws in an Azure environment is exit 2; inherited from defaults it is ignored', () => {
    expect(
      problemsOf(`  dev:
    profile: development
    location: swedencentral
    gateway: { aws: { consumers: { app: { roleArn: "arn:aws:iam::123456789012:role/app" } } } }
`),
    ).toEqual([
      'environments.dev.gateway.aws: is a block of the aws rendering; this environment says cloud: azure (remove the key)',
    ]);
    const inherited = parseConfig(
      HEADER.replace(
        '  pipeline:',
        '  gateway: { aws: { consumers: { app: { roleArn: "arn:aws:iam::123456789012:role/app" } } } }\n  pipeline:',
      ) +
        `  dev:
    profile: development
    location: swedencentral
`,
      'config/test.yaml',
    );
    expect(inherited.environments.dev!.gateway.aws).toBeUndefined();
  });
});
