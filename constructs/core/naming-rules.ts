/**
 * Azure resource names without cdktf: the naming rule of each resource type, the region codes, and
 * {@link Naming}, which derives every name of an environment. The config loader uses it directly; the
 * constructs use the token-aware `checkName` of `naming.ts`.
 */
import { createHash } from 'node:crypto';
import type { Problem } from './errors';

/** An Azure naming rule: length, allowed characters, scope of uniqueness. */
export interface NamingRule {
  /** Human name of the resource type, used in messages. */
  readonly label: string;
  /** Cloud Adoption Framework abbreviation used as the name's prefix. */
  readonly abbreviation: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** The whole name must match. */
  readonly pattern: RegExp;
  /** The rule in words, as printed in errors. */
  readonly rule: string;
  /** Globally unique (DNS) names get the deterministic suffix. */
  readonly global: boolean;
  /** Hyphens allowed as separators (storage and registries take none). */
  readonly hyphens: boolean;
}

const alnumHyphen = (label: string, abbreviation: string, min: number, max: number, global: boolean) =>
  ({
    label,
    abbreviation,
    minLength: min,
    maxLength: max,
    // The tail is optional: a one-character name is legal where the minimum length is 1.
    pattern: /^[a-z0-9](?:(?:[a-z0-9]|-(?!-))*[a-z0-9])?$/,
    rule: `${min}-${max} lowercase letters, digits and single hyphens, starting and ending with a letter or digit`,
    global,
    hyphens: true,
  }) satisfies NamingRule;

/**
 * Naming rules per resource type (Microsoft Learn, "Naming rules and restrictions for Azure resources"),
 * with CAF abbreviations.
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 * @see https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-abbreviations
 */
export const NAMING_RULES = {
  resourceGroup: {
    label: 'resource group',
    abbreviation: 'rg',
    minLength: 1,
    maxLength: 90,
    pattern: /^[-\w.()]*[-\w()]$/,
    rule: '1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period',
    global: false,
    hyphens: true,
  },
  storageAccount: {
    label: 'storage account',
    abbreviation: 'st',
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-z0-9]+$/,
    rule: '3-24 lowercase letters and digits, globally unique',
    global: true,
    hyphens: false,
  },
  containerRegistry: {
    label: 'container registry',
    abbreviation: 'cr',
    minLength: 5,
    maxLength: 50,
    pattern: /^[a-z0-9]+$/,
    rule: '5-50 lowercase letters and digits, globally unique',
    global: true,
    hyphens: false,
  },
  keyVault: {
    label: 'Key Vault',
    abbreviation: 'kv',
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/,
    rule: '3-24 letters, digits and single hyphens, starting with a letter, not ending with a hyphen, globally unique',
    global: true,
    hyphens: true,
  },
  searchService: alnumHyphen('AI Search service', 'srch', 2, 60, true),
  aiServices: alnumHyphen('AI Services account (custom subdomain)', 'ais', 2, 64, true),
  apiManagement: {
    label: 'API Management service',
    abbreviation: 'apim',
    minLength: 1,
    maxLength: 50,
    pattern: /^[a-z](?:(?:[a-z0-9]|-(?!-))*[a-z0-9])?$/,
    rule: '1-50 letters, digits and single hyphens, starting with a letter, ending with a letter or digit, globally unique',
    global: true,
    hyphens: true,
  },
  logAnalyticsWorkspace: alnumHyphen('Log Analytics workspace', 'log', 4, 63, false),
  applicationInsights: alnumHyphen('Application Insights', 'appi', 1, 255, false),
  aiFoundryHub: alnumHyphen('AI Foundry hub', 'hub', 3, 33, false),
  aiFoundryProject: alnumHyphen('AI Foundry project', 'proj', 3, 33, false),
  userAssignedIdentity: alnumHyphen('user-assigned identity', 'id', 3, 128, false),
  virtualNetwork: alnumHyphen('virtual network', 'vnet', 2, 64, false),
  subnet: alnumHyphen('subnet', 'snet', 1, 80, false),
  networkSecurityGroup: alnumHyphen('network security group', 'nsg', 1, 80, false),
  natGateway: alnumHyphen('NAT gateway', 'ng', 1, 80, false),
  publicIp: alnumHyphen('public IP address', 'pip', 1, 80, false),
  privateEndpoint: alnumHyphen('private endpoint', 'pep', 2, 64, false),
  actionGroup: alnumHyphen('action group', 'ag', 1, 260, false),
  budget: alnumHyphen('budget', 'budget', 1, 63, false),
  workbook: alnumHyphen('workbook', 'wb', 1, 260, false),
} as const satisfies Record<string, NamingRule>;

export type NamedResourceKind = keyof typeof NAMING_RULES;

/**
 * Checks a literal name against its type's rule (the config's names, and every name {@link Naming} derives).
 * Constructs, whose props may hold unresolved tokens, call `checkName` in `naming.ts`, which lets tokens pass.
 * @returns a problem naming the type, the name and the rule, or undefined when the name is legal.
 */
export function checkNameRule(kind: NamedResourceKind, name: string, path = 'name'): Problem | undefined {
  const rule: NamingRule = NAMING_RULES[kind];
  const ok = name.length >= rule.minLength && name.length <= rule.maxLength && rule.pattern.test(name);
  return ok
    ? undefined
    : { path, message: `${rule.label} name ${JSON.stringify(name)} breaks the rule: ${rule.rule}` };
}

/**
 * Short codes for Azure regions, used in regional resource names (`rg-llmops-dev-sdc`).
 * Unknown regions fall back to the region name itself.
 */
export const REGION_SHORT_CODES: Readonly<Record<string, string>> = {
  australiacentral: 'auc',
  australiacentral2: 'auc2',
  australiaeast: 'aue',
  australiasoutheast: 'ause',
  austriaeast: 'ate',
  belgiumcentral: 'bec',
  brazilsouth: 'brs',
  brazilsoutheast: 'brse',
  canadacentral: 'cac',
  canadaeast: 'cae',
  centralindia: 'inc',
  centralus: 'cus',
  chilecentral: 'clc',
  eastasia: 'ea',
  eastus: 'eus',
  eastus2: 'eus2',
  francecentral: 'frc',
  francesouth: 'frs',
  germanynorth: 'gn',
  germanywestcentral: 'gwc',
  indonesiacentral: 'idc',
  israelcentral: 'ilc',
  italynorth: 'itn',
  japaneast: 'jpe',
  japanwest: 'jpw',
  koreacentral: 'krc',
  koreasouth: 'krs',
  malaysiawest: 'myw',
  mexicocentral: 'mxc',
  newzealandnorth: 'nzn',
  northcentralus: 'ncus',
  northeurope: 'neu',
  norwayeast: 'nwe',
  norwaywest: 'nww',
  polandcentral: 'plc',
  qatarcentral: 'qac',
  southafricanorth: 'san',
  southafricawest: 'saw',
  southcentralus: 'scus',
  southindia: 'ins',
  southeastasia: 'sea',
  spaincentral: 'spc',
  swedencentral: 'sdc',
  swedensouth: 'sds',
  switzerlandnorth: 'szn',
  switzerlandwest: 'szw',
  uaecentral: 'uaec',
  uaenorth: 'uaen',
  uksouth: 'uks',
  ukwest: 'ukw',
  westcentralus: 'wcus',
  westeurope: 'weu',
  westindia: 'inw',
  westus: 'wus',
  westus2: 'wus2',
  westus3: 'wus3',
};

/** Inputs of {@link Naming}. */
export interface NamingProps {
  /** Workload name, 2-10 lowercase letters and digits, e.g. `llmops`. */
  readonly workload: string;
  /** Environment name, e.g. `prod`. */
  readonly environment: string;
  /** Azure region of the environment, e.g. `swedencentral`. */
  readonly location: string;
  /**
   * Makes globally unique names differ between organisations that use the same workload and
   * environment names: an organisation name, a subscription id, any stable string.
   */
  readonly seed: string;
}

/** Length of the deterministic suffix on globally unique names (36^5 = 60 million values). */
export const SUFFIX_LENGTH = 5;

/**
 * Derives every resource name of an environment from workload, environment, region and seed.
 *
 * Regional names read `<abbr>-<workload>-<env>-<region code>` (`log-llmops-prod-sdc`). Globally unique
 * names (storage, Key Vault, AI Search, AI Services subdomain, API Management, registry) read
 * `<abbr>-<workload>-<env>-<suffix>`, where the suffix is a hash of seed, workload and environment:
 * stable across runs and machines, different for each environment and organisation. Every name is
 * checked against its type's Azure rule; a name that breaks it throws with the type, the name and the
 * rule.
 */
export class Naming {
  /** The deterministic 5-character suffix for globally unique names. */
  public readonly suffix: string;
  public readonly regionCode: string;

  constructor(private readonly props: NamingProps) {
    this.suffix = uniqueSuffix(props.seed, props.workload, props.environment);
    this.regionCode = REGION_SHORT_CODES[props.location] ?? props.location;
  }

  /**
   * The name of a resource of `kind`, with an optional qualifier before the region code or suffix
   * (`rg-llmops-prod-sdc`, `id-llmops-prod-deploy-sdc`, `stllmopsprodtf<suffix>`). Throws when the result
   * breaks the type's naming rule.
   */
  name(kind: NamedResourceKind, qualifier?: string, location?: string): string {
    const rule: NamingRule = NAMING_RULES[kind];
    const tail = rule.global
      ? this.suffix
      : location
        ? (REGION_SHORT_CODES[location] ?? location)
        : this.regionCode;
    const parts = [rule.abbreviation, this.props.workload, this.props.environment, qualifier, tail].filter(
      (p): p is string => p !== undefined && p !== '',
    );
    const name = rule.hyphens ? parts.join('-') : parts.join('').replace(/-/g, '');
    const problem = checkNameRule(kind, name);
    if (problem) throw new Error(`Naming: ${problem.message}`);
    return name;
  }
}

/** The deterministic suffix: base-36 digits of SHA-256 over seed, workload and environment. */
export function uniqueSuffix(seed: string, workload: string, environment: string): string {
  const digest = createHash('sha256').update(`${seed}\u0000${workload}\u0000${environment}`).digest();
  // 8 bytes -> base 36, left-padded; the first character is kept a letter so names never start with a digit.
  const n = digest.readBigUInt64BE(0);
  // Stryker disable next-line StringLiteral: the padding shows only when the number has under 4 base-36 digits (p < 1e-14)
  const base36 = n.toString(36).padStart(13, '0');
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return letters[digest[8]! % 26] + base36.slice(-(SUFFIX_LENGTH - 1));
}
