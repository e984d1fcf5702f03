/**
 * Test doubles and builders for the gateway tests: model endpoints (what `constructs/models/`
 * implements) whose `grantInference` creates the role assignment the real one does, a telemetry sink
 * (what `Observability` implements), and a stack with the project's aspects and policy rules.
 */
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Aspects, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { IModelEndpoint, ModelDeploymentInfo } from '../../constructs/core/contracts';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import { ValidationError } from '../../constructs/core/errors';
import { BuiltInRoles, grantId, grantRole, type IPrincipal } from '../../constructs/core/roles';
import { TagsAspect } from '../../constructs/core/tags';
import type { IGatewayTelemetry } from '../../constructs/gateway/api-management';
import { GenAiGateway, type GenAiGatewayProps } from '../../constructs/gateway/gateway';
import { applyPolicies } from '../../constructs/policy';
import { TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

export const SUBSCRIPTION = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test';
export const WORKSPACE_ID = `${SUBSCRIPTION}/providers/Microsoft.OperationalInsights/workspaces/log-test`;
export const APP_INSIGHTS_ID = `${SUBSCRIPTION}/providers/Microsoft.Insights/components/appi-test`;
export const APP_INSIGHTS_CONNECTION_STRING =
  'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/';

const deployment = (name: string, role: 'chat' | 'embedding', modelName: string): ModelDeploymentInfo => ({
  deploymentName: name,
  role,
  modelName,
  modelVersion: '1',
  skuName: 'GlobalStandard',
});

/** A chat model, its candidate and an embedding model. */
export const DEPLOYMENTS: Readonly<Record<string, ModelDeploymentInfo>> = {
  chat: deployment('chat', 'chat', 'gpt-4o'),
  'chat-v2': deployment('chat-v2', 'chat', 'gpt-4.1'),
  embedding: deployment('embedding', 'embedding', 'text-embedding-3-large'),
};

/** A model account in one region with fixed ids. */
export class FakeModelEndpoint extends Construct implements IModelEndpoint {
  readonly accountId: string;
  readonly accountName: string;
  readonly endpoint: string;
  readonly openAiEndpoint: string;

  constructor(
    scope: Construct,
    id: string,
    readonly location: string,
    readonly deployments: Readonly<Record<string, ModelDeploymentInfo>> = DEPLOYMENTS,
  ) {
    super(scope, id);
    this.accountName = `ais-test-${location}`;
    this.accountId = `${SUBSCRIPTION}/providers/Microsoft.CognitiveServices/accounts/${this.accountName}`;
    this.endpoint = `https://${this.accountName}.cognitiveservices.azure.com/`;
    this.openAiEndpoint = `https://${this.accountName}.openai.azure.com/`;
  }

  grantInference(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.cognitiveServicesOpenAiUser;
    return grantRole(this, grantId(this, role, principal), role, principal, this.accountId);
  }
}

/** Application Insights with fixed ids; grants Monitoring Metrics Publisher like `Observability`. */
export class FakeTelemetry extends Construct implements IGatewayTelemetry {
  readonly appInsights = { id: APP_INSIGHTS_ID, connectionString: APP_INSIGHTS_CONNECTION_STRING };

  grantTelemetryPublisher(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.monitoringMetricsPublisher;
    return grantRole(this, grantId(this, role, principal), role, principal, APP_INSIGHTS_ID);
  }
}

/** A 90/10 experiment between `chat` and `chat-v2` with a new prompt version. */
export const EXPERIMENT = {
  variants: {
    control: { deployment: 'chat', weight: 90 },
    candidate: { deployment: 'chat-v2', promptVersion: 'v7', weight: 10 },
  },
} as const;

/** What every test gateway gets; tests override the rest. */
export interface Built {
  readonly stack: TerraformStack;
  readonly gateway: GenAiGateway;
  readonly primary: FakeModelEndpoint;
  readonly secondaries: FakeModelEndpoint[];
}

/**
 * A gateway in a test stack with the project's tags, diagnostics aspect and policy rules (so
 * `synthStack` fails on a policy error), over a primary endpoint and `secondaryLocations`.
 */
export function buildGateway(
  props: Partial<GenAiGatewayProps> = {},
  options: { secondaryLocations?: string[]; networkMode?: 'public' | 'private' } = {},
): Built {
  const stack = testStack();
  const primary = new FakeModelEndpoint(stack, 'Models', 'swedencentral');
  const secondaries = (options.secondaryLocations ?? []).map(
    (l) => new FakeModelEndpoint(stack, `Models-${l}`, l),
  );
  const gateway = new GenAiGateway(stack, 'Gateway', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'apim-llmops-test-abcde',
    publisherEmail: 'platform@example.com',
    publisherName: 'Platform',
    telemetry: new FakeTelemetry(stack, 'Observability'),
    models: { primary, secondaries },
    ...props,
  });
  Aspects.of(stack).add(new TagsAspect({ owner: 'test-team', environment: 'test' }));
  Aspects.of(stack).add(new DiagnosticsAspect({ workspace: { id: WORKSPACE_ID } }));
  applyPolicies(stack, {
    networkMode: options.networkMode ?? 'public',
    requiredTags: ['owner', 'environment'],
  });
  return { stack, gateway, primary, secondaries };
}

/** The problems of the ValidationError `fn` throws; fails when it throws none. */
export function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ValidationError');
}
