import { ValidationError } from '../../constructs/core/errors';
import { cloudBlockPaths } from '../../lib/config/clouds';
import { parseConfig } from '../../lib/config/load';
import { environmentSchema } from '../../lib/config/schema';

const FILE = 'config/test.yaml';

/** Defaults with Azure blocks, as the shipped config has them: an AWS environment must ignore them. */
const DEFAULTS = `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags: { owner: test-team }
  gateway: { azure: { publisherEmail: p@example.com, publisherName: Platform } }
  models: { azure: { kind: AIServices } }
`;

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('cloud: azure | aws', () => {
  test('an environment is on Azure unless it says otherwise', () => {
    const { environments } = parseConfig(`${DEFAULTS}environments:\n  dev: { profile: development }\n`, FILE);
    expect(environments.dev!.cloud).toBe('azure');
    expect(environments.dev!.aws).toBeUndefined();
  });

  test('an AWS environment ignores the Azure blocks and location it inherits from defaults', () => {
    // GIVEN defaults with azure blocks and an Azure location WHEN an AWS environment is resolved
    const { environments } = parseConfig(
      `${DEFAULTS}environments:\n  aws-dev:\n    cloud: aws\n    profile: development\n    aws: { region: us-west-2 }\n`,
      FILE,
    );
    const env = environments['aws-dev']!;
    // THEN its region is aws.region and its settings are the AWS defaults
    expect(env.cloud).toBe('aws');
    expect(env.location).toBe('us-west-2');
    expect(env.aws).toEqual({ region: 'us-west-2', manageSingletons: true });
    expect(env.models.deployments.chat!.aws).toEqual({ crossRegion: 'us', contentFilter: 'strict' });
    expect(env.models.deployments.embedding!.dimensions).toBe(1024);
  });

  test('an Azure environment ignores aws blocks inherited from defaults', () => {
    const { environments } = parseConfig(
      `${DEFAULTS}  search: { aws: { standbyReplicas: true } }\nenvironments:\n  dev: { profile: development }\n`,
      FILE,
    );
    expect(environments.dev!.search.aws).toBeUndefined();
  });

  test('blocks of the other cloud written in the environment itself are errors naming their path', () => {
    // GIVEN an AWS environment that writes Azure settings, and an Azure environment that writes AWS ones
    const problems = problemsOf(`${DEFAULTS}environments:
  aws-dev:
    cloud: aws
    profile: development
    location: westeurope
    aws: { region: us-east-1 }
    network: { azure: { addressSpace: 10.1.0.0/16 } }
    models:
      deployments:
        chat: { role: chat, model: "anthropic.claude-sonnet-4-5-20250929-v1:0", azure: { capacity: 10 } }
        embedding: { role: embedding, model: "amazon.titan-embed-text-v2:0" }
  dev:
    profile: development
    search: { aws: { standbyReplicas: true } }
    aws: { region: us-east-1 }
`);
    // THEN each is reported with its full path, and nothing else
    expect(problems.sort()).toEqual([
      'environments.aws-dev.location: is the Azure region: an AWS environment names its region in aws.region; this environment says cloud: aws (remove the key)',
      'environments.aws-dev.models.deployments.chat.azure: is a block of the azure rendering; this environment says cloud: aws (remove the key)',
      'environments.aws-dev.network.azure: is a block of the azure rendering; this environment says cloud: aws (remove the key)',
      'environments.dev.aws: is a block of the aws rendering; this environment says cloud: azure (remove the key)',
      'environments.dev.search.aws: is a block of the aws rendering; this environment says cloud: azure (remove the key)',
    ]);
  });

  test('an AWS environment needs aws.region, and an Azure one a location', () => {
    const problems = problemsOf(`defaults:
  workload: llmops
  namingSeed: test
  tags: { owner: test-team }
environments:
  aws-dev: { cloud: aws, profile: development }
  dev: { profile: development }
`);
    expect(problems).toEqual([
      'environments.aws-dev.aws.region: is required in an AWS environment (cloud: aws): e.g. us-east-1',
      'environments.dev.location: is required in an Azure environment (an Azure region, e.g. swedencentral)',
    ]);
  });

  test('the cloud blocks are read from the schema, so a new block is covered without a list', () => {
    const paths = cloudBlockPaths(environmentSchema, 'aws').map((p) => p.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['aws', 'models.aws', 'models.deployments.*.aws', 'search.aws', 'network.aws']),
    );
    expect(cloudBlockPaths(environmentSchema, 'azure').map((p) => p.join('.'))).toEqual(
      expect.arrayContaining(['azure', 'gateway.azure', 'models.deployments.*.azure', 'search.azure']),
    );
  });
});
