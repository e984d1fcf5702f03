import { Token } from 'cdktf';
import {
  checkName,
  NAMING_RULES,
  type NamedResourceKind,
  Naming,
  REGION_SHORT_CODES,
  uniqueSuffix,
} from '../../constructs/core/naming';
import { AZURE_REGIONS } from '../../lib/config/regions';

const KINDS = Object.keys(NAMING_RULES) as NamedResourceKind[];
const prod = new Naming({
  workload: 'llmops',
  environment: 'prod',
  location: 'swedencentral',
  seed: 'contoso',
});

describe('Naming', () => {
  test('regional names read <CAF abbreviation>-<workload>-<env>-<region code>', () => {
    expect(prod.name('resourceGroup')).toBe('rg-llmops-prod-sdc');
    expect(prod.name('logAnalyticsWorkspace')).toBe('log-llmops-prod-sdc');
    expect(prod.name('applicationInsights')).toBe('appi-llmops-prod-sdc');
    expect(prod.name('virtualNetwork')).toBe('vnet-llmops-prod-sdc');
    expect(prod.name('aiFoundryHub')).toBe('hub-llmops-prod-sdc');
  });

  test('globally unique names end with the deterministic suffix instead of the region', () => {
    expect(prod.suffix).toBe('s1ig4');
    expect(prod.name('keyVault')).toBe('kv-llmops-prod-s1ig4');
    expect(prod.name('searchService')).toBe('srch-llmops-prod-s1ig4');
    expect(prod.name('apiManagement')).toBe('apim-llmops-prod-s1ig4');
    expect(prod.name('aiServices')).toBe('ais-llmops-prod-s1ig4');
  });

  test('storage account and registry names have no hyphens', () => {
    expect(prod.name('storageAccount')).toBe('stllmopsprods1ig4');
    expect(prod.name('containerRegistry')).toBe('crllmopsprods1ig4');
    expect(prod.name('storageAccount', 'tf')).toBe('stllmopsprodtfs1ig4');
  });

  test('a qualifier goes before the region code or suffix', () => {
    expect(prod.name('userAssignedIdentity', 'deploy')).toBe('id-llmops-prod-deploy-sdc');
    expect(prod.name('keyVault', 'cmk')).toBe('kv-llmops-prod-cmk-s1ig4');
  });

  test('a resource in another region takes that region code', () => {
    expect(prod.name('virtualNetwork', undefined, 'westeurope')).toBe('vnet-llmops-prod-weu');
    expect(prod.regionCode).toBe('sdc');
  });

  test.each(KINDS)('the derived %s name starts with its CAF abbreviation and obeys its own rule', (kind) => {
    const name = prod.name(kind);
    const rule = NAMING_RULES[kind];
    expect(name.startsWith(rule.abbreviation)).toBe(true);
    expect(checkName(kind, name)).toBeUndefined();
    // names of types that take hyphens are hyphenated; the others (storage, registry) have none
    expect(name.includes('-')).toBe(rule.hyphens);
  });

  test('Key Vault names are at most 24 characters: 14 characters of workload plus environment fit exactly', () => {
    // 'kv-' + 7 + '-' + 7 + '-' + 5 = 24
    const naming = new Naming({
      workload: 'abcdefg',
      environment: 'hijklmn',
      location: 'swedencentral',
      seed: 's',
    });
    expect(naming.name('keyVault')).toHaveLength(24);
  });

  test('fails when a derived name breaks its rule, naming the type, the name and the rule', () => {
    // GIVEN a workload and environment that make the Key Vault name 25 characters
    const naming = new Naming({
      workload: 'abcdefg',
      environment: 'abcdefgh',
      location: 'swedencentral',
      seed: 'x',
    });
    // WHEN the name is derived THEN it throws with the type, the name and the rule
    expect(() => naming.name('keyVault')).toThrow(
      `Naming: Key Vault name "kv-abcdefg-abcdefgh-${naming.suffix}" breaks the rule: ${NAMING_RULES.keyVault.rule}`,
    );
  });
});

describe('region codes', () => {
  test('every Azure region the config accepts has a short code', () => {
    expect(AZURE_REGIONS.filter((r) => !REGION_SHORT_CODES[r])).toEqual([]);
  });

  test('short codes are unique', () => {
    const codes = Object.values(REGION_SHORT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test('an unknown region falls back to its own name', () => {
    const naming = new Naming({ workload: 'llmops', environment: 'dev', location: 'newregion', seed: 's' });
    expect(naming.regionCode).toBe('newregion');
  });
});

describe('uniqueSuffix', () => {
  test('is deterministic: the same inputs give the same suffix (known values pinned)', () => {
    expect(uniqueSuffix('contoso', 'llmops', 'dev')).toBe('hhd2t');
    expect(uniqueSuffix('contoso', 'llmops', 'staging')).toBe('a6kkj');
    expect(uniqueSuffix('contoso', 'llmops', 'prod')).toBe('s1ig4');
    expect(uniqueSuffix('contoso', 'llmops', 'prod')).toBe(uniqueSuffix('contoso', 'llmops', 'prod'));
  });

  test('differs per environment, seed and workload', () => {
    const base = uniqueSuffix('contoso', 'llmops', 'prod');
    expect(uniqueSuffix('contoso', 'llmops', 'dev')).not.toBe(base);
    expect(uniqueSuffix('fabrikam', 'llmops', 'prod')).not.toBe(base);
    expect(uniqueSuffix('contoso', 'chatbot', 'prod')).not.toBe(base);
  });

  test('does not confuse where one input ends and the next begins', () => {
    expect(uniqueSuffix('ab', 'c', 'dev')).not.toBe(uniqueSuffix('a', 'bc', 'dev'));
  });

  test('is 5 lowercase letters and digits, starting with a letter', () => {
    for (const env of ['dev', 'test', 'staging', 'prod', 'qa1', 'qa2', 'perf', 'demo']) {
      expect(uniqueSuffix('seed', 'llmops', env)).toMatch(/^[a-z][a-z0-9]{4}$/);
    }
  });
});

describe('NAMING_RULES', () => {
  test("the length limits are Azure's (Microsoft Learn, resource name rules), and each rule text states them", () => {
    // GIVEN the documented limits per type; the checks below derive names from the table, so pin it here
    const azure: Record<NamedResourceKind, [number, number]> = {
      resourceGroup: [1, 90],
      storageAccount: [3, 24],
      containerRegistry: [5, 50],
      keyVault: [3, 24],
      searchService: [2, 60],
      aiServices: [2, 64],
      apiManagement: [1, 50],
      logAnalyticsWorkspace: [4, 63],
      applicationInsights: [1, 255],
      aiFoundryHub: [3, 33],
      aiFoundryProject: [3, 33],
      userAssignedIdentity: [3, 128],
      virtualNetwork: [2, 64],
      subnet: [1, 80],
      networkSecurityGroup: [1, 80],
      natGateway: [1, 80],
      publicIp: [1, 80],
      privateEndpoint: [2, 64],
      actionGroup: [1, 260],
      budget: [1, 63],
      workbook: [1, 260],
    };
    // WHEN the table is read THEN every kind has those limits, and its rule text (shown in errors) says so
    expect(
      Object.fromEntries(KINDS.map((k) => [k, [NAMING_RULES[k].minLength, NAMING_RULES[k].maxLength]])),
    ).toEqual(azure);
    for (const kind of KINDS) {
      const [min, max] = azure[kind];
      expect({ kind, rule: NAMING_RULES[kind].rule.startsWith(`${min}-${max} `) }).toEqual({
        kind,
        rule: true,
      });
    }
    // AND the globally unique types are exactly those whose names are DNS labels or global endpoints
    expect(KINDS.filter((k) => NAMING_RULES[k].global).sort()).toEqual(
      [
        'aiServices',
        'apiManagement',
        'containerRegistry',
        'keyVault',
        'searchService',
        'storageAccount',
      ].sort(),
    );
  });
});

describe('NAMING_RULES labels and abbreviations', () => {
  test('the abbreviations are pinned (Cloud Adoption Framework resource-abbreviations, where it names the type)', () => {
    // GIVEN the abbreviation per type, pinned here because every name and the checks above derive from the table
    const caf: Record<NamedResourceKind, string> = {
      resourceGroup: 'rg',
      storageAccount: 'st',
      containerRegistry: 'cr',
      keyVault: 'kv',
      searchService: 'srch',
      aiServices: 'ais',
      apiManagement: 'apim',
      logAnalyticsWorkspace: 'log',
      applicationInsights: 'appi',
      aiFoundryHub: 'hub',
      aiFoundryProject: 'proj',
      userAssignedIdentity: 'id',
      virtualNetwork: 'vnet',
      subnet: 'snet',
      networkSecurityGroup: 'nsg',
      privateEndpoint: 'pep',
      actionGroup: 'ag',
      budget: 'budget',
      workbook: 'wb',
      natGateway: 'ng',
      publicIp: 'pip',
    };
    expect(Object.fromEntries(KINDS.map((k) => [k, NAMING_RULES[k].abbreviation]))).toEqual(caf);
  });

  test('every label is set and tells its type apart in messages', () => {
    const labels = KINDS.map((k) => NAMING_RULES[k].label);
    expect(labels.filter((l) => !/^[A-Za-z]/.test(l))).toEqual([]);
    expect(new Set(labels).size).toBe(KINDS.length);
  });
});

describe('checkName', () => {
  test.each(KINDS)('fails when a %s name is too long, naming the type, the name and the rule', (kind) => {
    const rule = NAMING_RULES[kind];
    const name = 'a'.repeat(rule.maxLength + 1);
    expect(checkName(kind, name, 'props.name')).toEqual({
      path: 'props.name',
      message: `${rule.label} name "${name}" breaks the rule: ${rule.rule}`,
    });
  });

  test.each(KINDS.filter((k) => NAMING_RULES[k].minLength > 1))(
    'fails when a %s name is too short',
    (kind) => {
      const name = 'a'.repeat(NAMING_RULES[kind].minLength - 1);
      expect(checkName(kind, name)?.message).toContain(NAMING_RULES[kind].rule);
    },
  );

  test.each([
    ['storageAccount', 'st-llmops', 'a hyphen'],
    ['storageAccount', 'stLlmops', 'an uppercase letter'],
    ['keyVault', '1kv-llmops', 'a leading digit'],
    ['keyVault', 'kv--llmops', 'a double hyphen'],
    ['keyVault', 'kv-llmops-', 'a trailing hyphen'],
    ['searchService', '-srch-llmops', 'a leading hyphen'],
    ['containerRegistry', 'cr_llmops', 'an underscore'],
    ['resourceGroup', 'rg-llmops.', 'a trailing period'],
  ] as [NamedResourceKind, string, string][])('fails when a %s name %j has %s', (kind, name) => {
    expect(checkName(kind, name)?.message).toBe(
      `${NAMING_RULES[kind].label} name "${name}" breaks the rule: ${NAMING_RULES[kind].rule}`,
    );
  });

  test('accepts names at the limits', () => {
    expect(checkName('storageAccount', 'a'.repeat(24))).toBeUndefined();
    expect(checkName('keyVault', `k${'v'.repeat(23)}`)).toBeUndefined();
    expect(checkName('resourceGroup', 'rg-llmops_(prod).1')).toBeUndefined();
  });

  test('lets unresolved tokens through (their value is known only at apply)', () => {
    expect(checkName('storageAccount', Token.asString({ Ref: 'x' }))).toBeUndefined();
  });
});

describe('checkName at the edges (every kind)', () => {
  /** The shortest legal-looking name: a letter, then digits (every pattern takes that). */
  const nameOf = (length: number): string => `a${'1'.repeat(length - 1)}`;

  test.each(KINDS)('accepts a %s name of exactly the minimum and the maximum length', (kind) => {
    const rule = NAMING_RULES[kind];
    expect([nameOf(rule.minLength).length, checkName(kind, nameOf(rule.minLength))]).toEqual([
      rule.minLength,
      undefined,
    ]);
    expect(checkName(kind, nameOf(rule.maxLength))).toBeUndefined();
  });

  test.each(KINDS.filter((k) => NAMING_RULES[k].minLength > 1))(
    'fails when a %s name is one character short of the minimum, with the exact message',
    (kind) => {
      const rule = NAMING_RULES[kind];
      const name = nameOf(rule.minLength - 1);
      expect(checkName(kind, name)).toEqual({
        path: 'name',
        message: `${rule.label} name ${JSON.stringify(name)} breaks the rule: ${rule.rule}`,
      });
    },
  );

  test('fails on an empty name for every kind', () => {
    expect(KINDS.filter((kind) => checkName(kind, '') === undefined)).toEqual([]);
  });

  test.each(KINDS.filter((k) => k !== 'resourceGroup'))('fails when a %s name ends in - or _', (kind) => {
    const base = nameOf(Math.max(NAMING_RULES[kind].minLength, 2));
    expect(checkName(kind, `${base}-`)?.path).toBe('name');
    expect(checkName(kind, `${base}_`)?.path).toBe('name');
    expect(checkName(kind, base)).toBeUndefined();
  });

  test('a resource group name may end in - or _ or ) but not in a period (Microsoft Learn)', () => {
    expect(checkName('resourceGroup', 'rg-llmops-')).toBeUndefined();
    expect(checkName('resourceGroup', 'rg-llmops_')).toBeUndefined();
    expect(checkName('resourceGroup', 'rg-(llmops)')).toBeUndefined();
    expect(checkName('resourceGroup', 'rg.llmops.')?.path).toBe('name');
    expect(checkName('resourceGroup', 'rg llmops')?.path).toBe('name');
  });

  test.each([
    ['searchService', 'srch-llmops-1', undefined],
    ['searchService', 'srch-Llmops', 'an uppercase letter'],
    ['aiServices', 'ais--llmops', 'a double hyphen'],
    ['apiManagement', '1apim', 'a leading digit'],
    ['apiManagement', 'apim-llmops-', 'a trailing hyphen'],
    ['apiManagement', 'apim--llmops', 'a double hyphen'],
    ['keyVault', 'kv-llmops-1', undefined],
    ['storageAccount', 'st1llmops', undefined],
  ] as [NamedResourceKind, string, string | undefined][])(
    '%s name %j: rejected for %s',
    (kind, name, why) => {
      expect(checkName(kind, name) === undefined).toBe(why === undefined);
    },
  );
});

describe('Naming: separators', () => {
  test('storage and registry names drop the hyphens of every part, qualifier and environment included', () => {
    const naming = new Naming({
      workload: 'llmops',
      environment: 'dev-eu',
      location: 'westeurope',
      seed: 's',
    });
    expect(naming.name('storageAccount', 'tf-1')).toBe(`stllmopsdeveutf1${naming.suffix}`);
    expect(naming.name('containerRegistry')).toBe(`crllmopsdeveu${naming.suffix}`);
    expect(naming.name('keyVault')).toBe(`kv-llmops-dev-eu-${naming.suffix}`);
  });

  test('an empty qualifier adds nothing', () => {
    expect(prod.name('keyVault', '')).toBe('kv-llmops-prod-s1ig4');
    expect(prod.name('resourceGroup', '')).toBe('rg-llmops-prod-sdc');
  });

  test('a region without a short code is used as it is', () => {
    expect(prod.name('virtualNetwork', undefined, 'newregion')).toBe('vnet-llmops-prod-newregion');
  });
});
