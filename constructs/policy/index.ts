import { Aspects, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { PolicyRule } from './engine';
import { ApimPublicAccessAtCreateRule } from './rules/apim-public-access-at-create';
import { AzapiTypeSupportedRule } from './rules/azapi-type-supported';
import { BudgetStartDateRule } from './rules/budget-start-date';
import { CmkRule } from './rules/cmk';
import { DiagnosticSettingRule } from './rules/diagnostic-setting';
import { DiagnosticsAspectRule } from './rules/diagnostics-aspect';
import { EgressRestrictedRule } from './rules/egress-restricted';
import { GeoRedundantStorageRule } from './rules/geo-redundant-storage';
import { KeyVaultPurgeProtectionRule } from './rules/key-vault-purge-protection';
import { LocalAuthDisabledRule } from './rules/local-auth-disabled';
import { ManagedIdentityRule } from './rules/managed-identity';
import { ManagementLockRule } from './rules/management-lock';
import { MetricAlertDefinitionRule } from './rules/metric-alert-definition';
import { PreventDestroyRule } from './rules/prevent-destroy';
import { PrivateEndpointRule } from './rules/private-endpoint';
import { PublicNetworkAccessRule } from './rules/public-network-access';
import { RequiredTagsRule } from './rules/required-tags';
import { SearchReplicasRule } from './rules/search-replicas';
import { SharedPrivateLinkApprovedRule } from './rules/shared-private-link-approved';
import { StatePrivateRule } from './rules/state-private';
import { StorageDataPlaneReachableRule } from './rules/storage-data-plane-reachable';
import { TlsMinimumRule } from './rules/tls-minimum';

export * from './engine';
export type { CmkRuleProps } from './rules/cmk';
export type { EgressRestrictedRuleProps } from './rules/egress-restricted';
export type { GeoRedundantStorageRuleProps } from './rules/geo-redundant-storage';
export type { ManagementLockRuleProps } from './rules/management-lock';
export { requiresPreventDestroy } from './rules/prevent-destroy';
export type { PrivateEndpointRuleProps } from './rules/private-endpoint';
export { PRIVATE_LINK_TYPES, PrivateEndpointRule } from './rules/private-endpoint';
export type { PublicNetworkAccessRuleProps } from './rules/public-network-access';
export type { RequiredTagsRuleProps } from './rules/required-tags';
export type { SearchReplicasRuleProps } from './rules/search-replicas';
export type { StatePrivateRuleProps } from './rules/state-private';
export {
  ApimPublicAccessAtCreateRule,
  AzapiTypeSupportedRule,
  BudgetStartDateRule,
  CmkRule,
  DiagnosticSettingRule,
  DiagnosticsAspectRule,
  EgressRestrictedRule,
  GeoRedundantStorageRule,
  KeyVaultPurgeProtectionRule,
  LocalAuthDisabledRule,
  ManagedIdentityRule,
  ManagementLockRule,
  MetricAlertDefinitionRule,
  PreventDestroyRule,
  PublicNetworkAccessRule,
  RequiredTagsRule,
  SearchReplicasRule,
  SharedPrivateLinkApprovedRule,
  StatePrivateRule,
  StorageDataPlaneReachableRule,
  TlsMinimumRule,
};

/** What the policy set needs to know about the environment. */
export interface PolicySetProps {
  readonly networkMode: 'public' | 'private';
  /**
   * The production profile turns on the hardening rules (locks, egress, resilience, private state).
   * @default 'development'
   */
  readonly profile?: 'development' | 'production';
  /** Tag keys every taggable resource must carry. */
  readonly requiredTags: readonly string[];
  /** The Terraform state account, when the state is remote. @default - none (local state) */
  readonly stateStorageAccountName?: string;
  /** Name of the self-hosted runners' subnet. @default - none */
  readonly runnerSubnetName?: string;
}

/** The project's policy rules, configured for one environment. */
export function policyRules(props: PolicySetProps): PolicyRule[] {
  const profile = props.profile ?? 'development';
  return [
    new LocalAuthDisabledRule(),
    new PublicNetworkAccessRule({ networkMode: props.networkMode }),
    new PrivateEndpointRule({ networkMode: props.networkMode }),
    new TlsMinimumRule(),
    new ManagedIdentityRule(),
    new DiagnosticSettingRule(),
    new DiagnosticsAspectRule(),
    new RequiredTagsRule({ keys: props.requiredTags }),
    new PreventDestroyRule(),
    new KeyVaultPurgeProtectionRule(),
    // Create-time and ordering rules that `terraform validate` cannot see (docs/first-deploy.md).
    new ApimPublicAccessAtCreateRule(),
    new StorageDataPlaneReachableRule(),
    new SharedPrivateLinkApprovedRule(),
    new AzapiTypeSupportedRule(),
    new BudgetStartDateRule(),
    // Deploys, but would never fire: metrics Azure does not have for the type.
    new MetricAlertDefinitionRule(),
    // Production hardening (issue 17; README "Protection and recovery").
    new CmkRule({ profile, networkMode: props.networkMode }),
    new ManagementLockRule({ profile }),
    new SearchReplicasRule({ profile }),
    new GeoRedundantStorageRule({ profile }),
    new EgressRestrictedRule({
      profile,
      networkMode: props.networkMode,
      runnerSubnetName: props.runnerSubnetName,
    }),
    new StatePrivateRule({
      profile,
      networkMode: props.networkMode,
      stateStorageAccountName: props.stateStorageAccountName,
      runnerSubnetName: props.runnerSubnetName,
    }),
  ];
}

/**
 * Adds every policy rule to `scope` as an Aspect. Add them after aspects that change resources (tags,
 * diagnostics) so the rules check the final tree.
 */
export function applyPolicies(
  scope: IConstruct,
  props: PolicySetProps,
  extraRules: readonly IAspect[] = [],
): void {
  for (const rule of [...policyRules(props), ...extraRules]) Aspects.of(scope).add(rule);
}
