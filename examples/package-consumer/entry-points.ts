/**
 * Every entry point of the package resolves, type-checks and loads in a consumer (`npm run test:package`
 * compiles and runs this file next to `main.ts`): one construct or function of each capability, Azure
 * (cdktf) and AWS (aws-cdk-lib, an optional peer the consumer installed).
 */
import { BedrockGateway } from 'llmops-platform/constructs/aws/gateway';
import { EncryptedLogGroup } from 'llmops-platform/constructs/aws/logging';
import { BedrockModel } from 'llmops-platform/constructs/aws/models';
import { BedrockAlarms } from 'llmops-platform/constructs/aws/monitoring';
import { PrivateNetwork } from 'llmops-platform/constructs/aws/network';
import { GitHubOidcProvider } from 'llmops-platform/constructs/aws/pipeline';
import { AwsPolicy } from 'llmops-platform/constructs/aws/policy';
import { VectorCollection } from 'llmops-platform/constructs/aws/search';
import { AzapiProvider } from 'llmops-platform/constructs/core';
import { EvaluationCompute } from 'llmops-platform/constructs/evaluation';
import { GenAiGateway } from 'llmops-platform/constructs/gateway';
import { Observability } from 'llmops-platform/constructs/logging';
import { ModelAccount } from 'llmops-platform/constructs/models';
import { BaselineAlerts } from 'llmops-platform/constructs/monitoring';
import { NatGateway } from 'llmops-platform/constructs/network';
import { DeploymentIdentity } from 'llmops-platform/constructs/pipeline';
import { applyPolicies } from 'llmops-platform/constructs/policy';
import { SearchService } from 'llmops-platform/constructs/search';
import { KeyVault } from 'llmops-platform/constructs/security';
import { StorageAccount } from 'llmops-platform/constructs/storage';

const loaded = {
  core: AzapiProvider,
  evaluation: EvaluationCompute,
  gateway: GenAiGateway,
  logging: Observability,
  models: ModelAccount,
  monitoring: BaselineAlerts,
  network: NatGateway,
  pipeline: DeploymentIdentity,
  policy: applyPolicies,
  search: SearchService,
  security: KeyVault,
  storage: StorageAccount,
  'aws/gateway': BedrockGateway,
  'aws/logging': EncryptedLogGroup,
  'aws/models': BedrockModel,
  'aws/monitoring': BedrockAlarms,
  'aws/network': PrivateNetwork,
  'aws/pipeline': GitHubOidcProvider,
  'aws/policy': AwsPolicy,
  'aws/search': VectorCollection,
};
const missing = Object.entries(loaded).filter(([, value]) => typeof value !== 'function');
if (missing.length > 0)
  throw new Error(`entry points without their export: ${missing.map(([k]) => k).join(', ')}`);
console.log(`entry points: ${Object.keys(loaded).join(', ')}`);
