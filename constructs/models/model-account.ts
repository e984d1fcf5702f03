import { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { CustomerManagedKeyProps } from '../core/cmk';
import type { IModelEndpoint, ModelDeploymentInfo } from '../core/contracts';
import { addDiagnosticSettings } from '../core/diagnostics';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import { addPrivateEndpoint, PRIVATE_DNS_ZONES, type PrivateEndpointProps } from '../core/private-endpoint';
import {
  applyProtection,
  type DiagnosticSettingsProps,
  type IResourceGroup,
  type NetworkAccessProps,
  type ProtectionProps,
} from '../core/props';
import { type BuiltInRole, BuiltInRoles, grantRoleOn, type IPrincipal } from '../core/roles';
import {
  ContentFilterPolicy,
  type ContentFilterSettings,
  checkContentFilterSettings,
  MICROSOFT_DEFAULT_CONTENT_FILTER,
  policyNameProblem,
} from './content-filter-policy';
import { checkDeploymentOptions, ModelDeployment, type ModelDeploymentOptions } from './model-deployment';
import { caseInsensitiveDuplicates } from './model-facts';

/**
 * Account kinds that serve model deployments. `AIServices` also hosts non-OpenAI models and Foundry
 * projects. Both are among the kinds azurerm validates (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/cognitive/cognitive_account_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`).
 */
export const MODEL_ACCOUNT_KINDS = ['AIServices', 'OpenAI'] as const;

/** An account kind that serves model deployments (see {@link MODEL_ACCOUNT_KINDS}). */
export type ModelAccountKind = (typeof MODEL_ACCOUNT_KINDS)[number];

/** The content filter deployments use when they name none. */
export const DEFAULT_CONTENT_FILTER = 'strict';

/** A deployment declared on a {@link ModelAccount}. */
export interface ModelAccountDeployment extends ModelDeploymentOptions {
  /**
   * Name of a policy in the account's `contentFilters`, or {@link MICROSOFT_DEFAULT_CONTENT_FILTER} as an
   * explicit opt-out.
   * @default 'strict' ({@link DEFAULT_CONTENT_FILTER})
   */
  readonly contentFilter?: string;
}

export type { CustomerManagedKeyProps, IKeyReaderIdentity } from '../core/cmk';

/** Properties of {@link ModelAccount}. */
export interface ModelAccountProps extends NetworkAccessProps, ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /**
   * Account name, also its custom subdomain (required for Microsoft Entra ID auth): 2-64 lowercase
   * letters, digits and hyphens, globally unique. Forces replacement.
   */
  readonly name: string;
  /**
   * Region of the account (secondary accounts live in other regions than their resource group).
   * Forces replacement.
   * @default - the resource group's region
   */
  readonly location?: string;
  /** @default 'AIServices' */
  readonly kind?: ModelAccountKind;
  /**
   * Content filter policies by name. Deployments reference them by name.
   * @default { strict: {} } - one policy with the strict defaults ({@link STRICT_CONTENT_FILTER})
   */
  readonly contentFilters?: Readonly<Record<string, ContentFilterSettings>>;
  /**
   * Model deployments by deployment name.
   * @default - none
   */
  readonly deployments?: Readonly<Record<string, ModelAccountDeployment>>;
  /**
   * IPv4 addresses or CIDR ranges allowed when public network access is on.
   * @default - none: any address, still with Entra ID auth only
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Private endpoint (sub-resource `account`, zones {@link PRIVATE_DNS_ZONES}.account). Given in private
   * environments.
   * @default - none
   */
  readonly privateEndpoint?: PrivateEndpointProps;
  /**
   * Restrict the account's outbound calls to `allowedOutboundFqdns`
   * (`outbound_network_access_restricted`, `fqdns`: azurerm v4.55.0
   * `website/docs/r/cognitive_account.html.markdown`). Data-exfiltration control: "on your data" and
   * batch jobs may then call only the listed hosts.
   * @default false
   * @see https://learn.microsoft.com/azure/ai-services/cognitive-services-data-loss-prevention
   */
  readonly outboundAccessRestricted?: boolean;
  /**
   * Hosts the account may call when `outboundAccessRestricted` (e.g. `mysearch.search.windows.net`).
   * @default - none: no outbound calls
   */
  readonly allowedOutboundFqdns?: readonly string[];
  /**
   * Encrypt with a customer-managed key.
   * @default - Microsoft-managed keys
   */
  readonly customerManagedKey?: CustomerManagedKeyProps;
  /** @default - the stack's DiagnosticsAspect adds all logs and metrics */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
}

const IPV4_OR_CIDR =
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([0-9]|[12]\d|3[0-2]))?$/;
const FQDN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const KEY_ID = /^https:\/\/[a-z0-9-]+\.vault\.[a-z0-9.]+\/keys\/[A-Za-z0-9-]+(\/[A-Za-z0-9]+)?\/?$/;

/**
 * An Azure AI Services (or Azure OpenAI) account with its content filter policies and model
 * deployments: custom subdomain, local (key) auth off, system-assigned identity, public network access
 * per the environment's network mode with network ACLs denying by default, optional private endpoint
 * and customer-managed key. Protected from destroy by default.
 *
 * Outbound network access is restricted to an allow-list of FQDNs when `outboundAccessRestricted` is
 * set (private environments: `network.azure.egress.allowedFqdns`). Trusted Azure services (AI Search's
 * integrated vectorization) bypass the inbound ACLs.
 *
 * Children are written one after another (policies, then deployments, in declaration order): Azure
 * rejects concurrent writes below one account with HTTP 409.
 *
 * @see https://learn.microsoft.com/azure/ai-services/multi-service-resource
 * @see https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks
 */
export class ModelAccount extends Construct implements IModelEndpoint {
  public readonly account: CognitiveAccount;
  public readonly accountId: string;
  public readonly accountName: string;
  /** `https://<name>.cognitiveservices.azure.com/` (AIServices) or `https://<name>.openai.azure.com/` (OpenAI). */
  public readonly endpoint: string;
  /**
   * `https://<name>.openai.azure.com/`: the Azure OpenAI endpoint every AIServices and OpenAI account
   * with a custom subdomain serves (AI Search's `azureOpenAI` vectorizer requires this host).
   */
  public readonly openAiEndpoint: string;
  public readonly location: string;
  /** Object id of the account's system-assigned identity (grant it access to search and storage). */
  public readonly principalId: string;
  /** Deployments by deployment name, as consumers see them. */
  public readonly deployments: Readonly<Record<string, ModelDeploymentInfo>>;
  /** Deployment constructs by deployment name. */
  public readonly modelDeployments: Readonly<Record<string, ModelDeployment>>;
  /** Content filter policies by name. */
  public readonly contentFilters: Readonly<Record<string, ContentFilterPolicy>>;
  /** The private endpoint, when `privateEndpoint` was given. */
  public readonly privateEndpoint?: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: ModelAccountProps) {
    super(scope, id);
    const filterSettings = props.contentFilters ?? { [DEFAULT_CONTENT_FILTER]: {} };
    const specs = props.deployments ?? {};
    validate(props, filterSettings, specs).throwIfAny(`Invalid ModelAccount "${this.node.path}"`);

    const publicAccess = props.publicNetworkAccessEnabled ?? false;
    const cmk = props.customerManagedKey;
    this.location = props.location ?? props.resourceGroup.location;
    this.account = new CognitiveAccount(this, 'Default', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: this.location,
      kind: props.kind ?? 'AIServices',
      skuName: 'S0',
      customSubdomainName: props.name,
      localAuthEnabled: false,
      publicNetworkAccessEnabled: publicAccess,
      outboundNetworkAccessRestricted: props.outboundAccessRestricted ?? false,
      fqdns:
        props.outboundAccessRestricted && props.allowedOutboundFqdns?.length
          ? [...props.allowedOutboundFqdns]
          : undefined,
      networkAcls: {
        defaultAction: publicAccess && !props.allowedIpRanges?.length ? 'Allow' : 'Deny',
        bypass: 'AzureServices',
        ipRules: props.allowedIpRanges?.length ? [...props.allowedIpRanges] : undefined,
      },
      identity: cmk
        ? { type: 'SystemAssigned, UserAssigned', identityIds: [cmk.identity.id] }
        : { type: 'SystemAssigned' },
      customerManagedKey: cmk
        ? { keyVaultKeyId: cmk.keyVaultKeyId, identityClientId: cmk.identity.clientId }
        : undefined,
      // The identity must hold its key role before the account is created with the key.
      dependsOn: cmk?.dependsOn ? [...cmk.dependsOn] : undefined,
    });
    applyProtection(this.account, props);
    if (props.diagnosticSettings) addDiagnosticSettings(this.account, props.diagnosticSettings);

    this.accountId = this.account.id;
    this.accountName = props.name;
    this.endpoint = this.account.endpoint;
    this.openAiEndpoint = `https://${props.name}.openai.azure.com/`;
    this.principalId = this.account.identity.principalId;

    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(
        this,
        {
          resourceId: this.account.id,
          resourceName: props.name,
          subresource: 'account',
          resourceGroupName: props.resourceGroup.name,
          location: this.location,
        },
        props.privateEndpoint,
      );
    }

    // One write at a time below the account: each child depends on the one before.
    let previous: ITerraformDependable[] = [];
    const filters: Record<string, ContentFilterPolicy> = {};
    for (const [name, settings] of Object.entries(filterSettings)) {
      const policy = new ContentFilterPolicy(this, `ContentFilter-${name}`, {
        ...settings,
        account: this,
        name,
        dependsOn: previous,
      });
      filters[name] = policy;
      previous = [policy.policy];
    }
    this.contentFilters = filters;

    const deployments: Record<string, ModelDeployment> = {};
    for (const [name, spec] of Object.entries(specs)) {
      const filterName = spec.contentFilter ?? DEFAULT_CONTENT_FILTER;
      const deployment = new ModelDeployment(this, `Deployment-${name}`, {
        ...spec,
        account: this,
        name,
        contentFilter:
          filterName === MICROSOFT_DEFAULT_CONTENT_FILTER
            ? MICROSOFT_DEFAULT_CONTENT_FILTER
            : filters[filterName]!,
        dependsOn: previous,
      });
      deployments[name] = deployment;
      previous = [deployment.deployment];
    }
    this.modelDeployments = deployments;
    this.deployments = Object.fromEntries(Object.entries(deployments).map(([n, d]) => [n, d.info]));
  }

  /** ARM id of the account (same as {@link accountId}). */
  get resourceId(): string {
    return this.accountId;
  }

  /** Deployment names, in declaration order. */
  get deploymentNames(): string[] {
    return Object.keys(this.deployments);
  }

  /**
   * The embedding deployment named `name`, or the only one. Its `dimensions` size the search index's
   * vector field.
   * @throws when there is none, or several and no name was given
   */
  embedding(name?: string): ModelDeploymentInfo {
    return this.pick('embedding', name);
  }

  /**
   * The chat deployment named `name`, or the only one.
   * @throws when there is none, or several and no name was given
   */
  chat(name?: string): ModelDeploymentInfo {
    return this.pick('chat', name);
  }

  /**
   * Lets `principal` call OpenAI-compatible inference (chat completions, embeddings, assistants) on
   * every deployment: role Cognitive Services OpenAI User, on the account.
   */
  grantInference(principal: IPrincipal): RoleAssignment {
    return this.grant(BuiltInRoles.cognitiveServicesOpenAiUser, principal);
  }

  /**
   * Lets `principal` call the account's other APIs, such as non-OpenAI models (Foundry Models inference)
   * and content safety: role Cognitive Services User, on the account.
   */
  grantModelsUser(principal: IPrincipal): RoleAssignment {
    return this.grant(BuiltInRoles.cognitiveServicesUser, principal);
  }

  private grant(role: BuiltInRole, principal: IPrincipal): RoleAssignment {
    return grantRoleOn(this, role, principal, this.account.id);
  }

  private pick(role: 'chat' | 'embedding', name?: string): ModelDeploymentInfo {
    const candidates = Object.values(this.deployments).filter((d) => d.role === role);
    const found =
      name === undefined
        ? candidates.length === 1
          ? candidates[0]
          : undefined
        : candidates.find((d) => d.deploymentName === name);
    if (!found) {
      const listed = candidates.map((d) => d.deploymentName).join(', ') || 'none';
      throw new Error(
        name === undefined
          ? `ModelAccount "${this.node.path}": expected exactly one ${role} deployment, found ${listed}; name one`
          : `ModelAccount "${this.node.path}": no ${role} deployment ${JSON.stringify(name)} (${role} deployments: ${listed})`,
      );
    }
    return found;
  }
}

/** Every problem with the props, all at once. */
function validate(
  props: ModelAccountProps,
  filterSettings: Readonly<Record<string, ContentFilterSettings>>,
  specs: Readonly<Record<string, ModelAccountDeployment>>,
): Problems {
  const problems = new Problems('props');
  const nameProblem = checkName('aiServices', props.name);
  if (nameProblem) problems.add('name', nameProblem.message);
  const kind = props.kind ?? 'AIServices';
  if (!(MODEL_ACCOUNT_KINDS as readonly string[]).includes(kind))
    problems.add('kind', `${JSON.stringify(kind)} is not one of ${MODEL_ACCOUNT_KINDS.join(', ')}`);

  for (const [name, settings] of Object.entries(filterSettings)) {
    // Unresolved tokens pass: their value is known only at apply.
    const policyProblem = Token.isUnresolved(name) ? undefined : policyNameProblem(name);
    if (policyProblem) problems.add(`contentFilters.${name}`, policyProblem);
    checkContentFilterSettings(settings, problems, `contentFilters.${name}`);
  }
  for (const group of caseInsensitiveDuplicates(Object.keys(filterSettings))) {
    problems.add('contentFilters', `duplicate policy names (Azure ignores case): ${group.join(', ')}`);
  }

  for (const [name, spec] of Object.entries(specs)) {
    const path = `deployments.${name}`;
    checkDeploymentOptions(name, spec, problems, path);
    const filter = spec.contentFilter ?? DEFAULT_CONTENT_FILTER;
    if (filter !== MICROSOFT_DEFAULT_CONTENT_FILTER && !filterSettings[filter]) {
      problems.add(
        `${path}.contentFilter`,
        `${JSON.stringify(filter)}${spec.contentFilter === undefined ? ' (the default)' : ''} is not a declared content filter (declared: ${Object.keys(filterSettings).join(', ') || 'none'}; or ${JSON.stringify(MICROSOFT_DEFAULT_CONTENT_FILTER)} to opt out explicitly)`,
      );
    }
    const format = spec.model.format ?? 'OpenAI';
    if (kind === 'OpenAI' && format !== 'OpenAI') {
      problems.add(
        `${path}.model.format`,
        `${JSON.stringify(format)} models need an AIServices account; kind OpenAI serves only format "OpenAI"`,
      );
    }
  }
  for (const group of caseInsensitiveDuplicates(Object.keys(specs))) {
    problems.add('deployments', `duplicate deployment names (Azure ignores case): ${group.join(', ')}`);
  }

  const ranges = props.allowedIpRanges ?? [];
  ranges.forEach((r, i) => {
    if (!Token.isUnresolved(r) && !IPV4_OR_CIDR.test(r)) {
      problems.add(`allowedIpRanges[${i}]`, `${JSON.stringify(r)} is not an IPv4 address or CIDR range`);
    }
  });
  if (ranges.length && !(props.publicNetworkAccessEnabled ?? false)) {
    problems.add(
      'allowedIpRanges',
      'apply only to public network access, which is off: remove them or set publicNetworkAccessEnabled',
    );
  }
  (props.allowedOutboundFqdns ?? []).forEach((f, i) => {
    if (!Token.isUnresolved(f) && !FQDN.test(f)) {
      problems.add(`allowedOutboundFqdns[${i}]`, `${JSON.stringify(f)} is not a fully qualified domain name`);
    }
  });
  if (props.allowedOutboundFqdns?.length && !props.outboundAccessRestricted) {
    problems.add(
      'allowedOutboundFqdns',
      'apply only when outbound access is restricted: set outboundAccessRestricted or remove them',
    );
  }
  const keyId = props.customerManagedKey?.keyVaultKeyId;
  if (keyId !== undefined && !Token.isUnresolved(keyId) && !KEY_ID.test(keyId)) {
    problems.add(
      'customerManagedKey.keyVaultKeyId',
      `${JSON.stringify(keyId)} is not a Key Vault key id (https://<vault>.vault.azure.net/keys/<name>[/<version>])`,
    );
  }
  return problems;
}
