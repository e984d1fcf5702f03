import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { REGION_SHORT_CODES } from '../../../constructs/core/naming';
import {
  type ContentFilterSettings,
  MICROSOFT_DEFAULT_CONTENT_FILTER,
} from '../../../constructs/models/content-filter-policy';
import {
  ModelAccount,
  type ModelAccountDeployment,
  type ModelAccountProps,
} from '../../../constructs/models/model-account';
import { isProvisionedSku } from '../../../constructs/models/model-facts';
import type { PrivateNetwork } from '../../../constructs/network/private-network';
import type { EncryptionKey } from '../../../constructs/security/encryption-key';
import type { EnvironmentConfig } from '../../config/environment';
import {
  type ContentFilterConfig,
  type DeploymentConfig,
  MICROSOFT_DEFAULT_FILTER,
} from '../../config/sections/models';
import type { EnvironmentInputs } from './inputs';

/** What {@link addModels} reads besides the environment. */
export interface ModelsInputs extends EnvironmentInputs {
  /**
   * The private network every account gets its private endpoint in.
   * @default - none: a public environment
   */
  readonly network?: PrivateNetwork;
  /**
   * The customer-managed key the accounts are encrypted with.
   * @default - Microsoft-managed keys
   */
  readonly encryptionKey?: EncryptionKey;
}

/** The model endpoints of an environment. */
export interface ModelsHandles {
  /** The account in the environment's region. */
  readonly primary: ModelAccount;
  /** Failover accounts by region (`models.azure.secondaryLocations`), with the same deployments and filters. */
  readonly secondaries: Readonly<Record<string, ModelAccount>>;
  /** The primary, then the secondaries in config order: the gateway's backend pool. */
  readonly all: readonly ModelAccount[];
}

/**
 * The model endpoints of an environment from `env.models`: the primary AI Services account (construct id
 * `Models`) with its content filters and deployments, and one account per secondary region
 * (`Models-<region>`) carrying the same, for failover through the gateway. Public network access follows
 * the network mode; in private environments every account gets a private endpoint in the environment's
 * network.
 */
export function addModels(scope: Construct, inputs: ModelsInputs): ModelsHandles {
  const { config: env, naming, resourceGroup } = inputs;
  const shared: Omit<ModelAccountProps, 'name' | 'location'> = {
    resourceGroup,
    kind: env.models.kind,
    contentFilters: contentFilterProps(env.models.contentFilters),
    deployments: deploymentProps(env.models.deployments),
    publicNetworkAccessEnabled: env.network.mode === 'public',
    privateEndpoint: inputs.network?.privateEndpointProps(),
    customerManagedKey: inputs.encryptionKey?.customerManagedKey(),
    // Private environments: outbound calls only to the configured hosts (egress-restricted rule).
    outboundAccessRestricted: env.network.mode === 'private',
    allowedOutboundFqdns: env.network.mode === 'private' ? env.network.egress.allowedFqdns : undefined,
    preventDestroy: env.protection.preventDestroy,
  };
  const primary = new ModelAccount(scope, 'Models', { ...shared, name: naming.name('aiServices') });
  const secondaries: Record<string, ModelAccount> = {};
  for (const location of env.models.secondaryLocations) {
    secondaries[location] = new ModelAccount(scope, `Models-${location}`, {
      ...shared,
      name: naming.name('aiServices', REGION_SHORT_CODES[location] ?? location),
      location,
    });
  }
  new TerraformOutput(scope, 'model_endpoint', {
    value: primary.endpoint,
    description: 'Primary AI Services endpoint (Entra ID auth)',
  });
  return { primary, secondaries, all: [primary, ...Object.values(secondaries)] };
}

/** Content filter settings from config (field names differ: `promptShields` -> `promptShieldsEnabled`). */
export function contentFilterProps(
  filters: EnvironmentConfig['models']['contentFilters'],
): Record<string, ContentFilterSettings> {
  return Object.fromEntries(
    Object.entries(filters).map(([name, f]: [string, ContentFilterConfig]) => [
      name,
      {
        severityThreshold: f.severityThreshold,
        categories: f.categories,
        promptShieldsEnabled: f.promptShields,
        protectedMaterialEnabled: f.protectedMaterial,
        blocklists: f.blocklists,
      },
    ]),
  );
}

/** Deployments from config: capacity goes to the unit of the SKU, `microsoft-default` to Microsoft's policy name. */
export function deploymentProps(
  deployments: EnvironmentConfig['models']['deployments'],
): Record<string, ModelAccountDeployment> {
  return Object.fromEntries(
    Object.entries(deployments).map(([name, d]: [string, DeploymentConfig]) => {
      const provisioned = isProvisionedSku(d.sku);
      const deployment: ModelAccountDeployment = {
        role: d.role,
        model: { format: d.format, name: d.model, version: d.version },
        sku: d.sku,
        capacityThousandTokensPerMinute: provisioned ? undefined : d.capacity,
        provisionedThroughputUnits: provisioned ? d.capacity : undefined,
        versionUpgradeOption: d.versionUpgrade,
        dimensions: d.dimensions,
        contentFilter:
          d.contentFilter === MICROSOFT_DEFAULT_FILTER ? MICROSOFT_DEFAULT_CONTENT_FILTER : d.contentFilter,
      };
      return [name, deployment];
    }),
  );
}
