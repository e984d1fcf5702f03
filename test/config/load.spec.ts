import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import {
  configFilePath,
  DEFAULT_CONFIG_FILE,
  deepMerge,
  loadConfig,
  parseConfig,
} from '../../lib/config/load';

const FIXTURES = join(__dirname, '../fixtures/config');
const FILE = 'config/test.yaml';

/** Header every inline config shares: the keys an environment must have. */
const DEFAULTS = `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags:
    owner: test-team
`;

/** Parses `text`, expecting a ValidationError; returns it. */
function invalid(text: string, file = FILE): ValidationError {
  try {
    parseConfig(text, file);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

/** `path: message` of every problem. */
function problemsOf(error: ValidationError): string[] {
  return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

describe('deepMerge', () => {
  test('merges objects key by key; values from the environment win', () => {
    // GIVEN defaults and an environment that overrides one nested key and adds another
    const merged = deepMerge(
      { tags: { owner: 'a', team: 'x' }, location: 'swedencentral' },
      { tags: { owner: 'b', cost: '1' } },
    );
    // THEN nested objects merge and the override wins
    expect(merged).toEqual({ tags: { owner: 'b', team: 'x', cost: '1' }, location: 'swedencentral' });
  });

  test('replaces arrays and scalars instead of merging them', () => {
    expect(deepMerge({ labels: ['a', 'b'], n: 1 }, { labels: ['c'], n: 2 })).toEqual({ labels: ['c'], n: 2 });
  });

  test('keeps the default where the environment gives nothing', () => {
    expect(deepMerge({ a: { b: 1 } }, undefined)).toEqual({ a: { b: 1 } });
  });
});

describe('parseConfig', () => {
  test('an environment inherits every default and overrides only what it sets', () => {
    // GIVEN defaults with tags and pipeline settings, and an environment that refines both
    const config = parseConfig(
      `${DEFAULTS}  pipeline:
    github: { repository: contoso/app }
environments:
  dev:
    profile: development
    tags: { cost-center: "42" }
    pipeline:
      github: { environment: development }
`,
      FILE,
    );
    // THEN both levels are present
    const dev = config.environments.dev!;
    expect(dev.tags).toMatchObject({ owner: 'test-team', 'cost-center': '42' });
    expect(dev.pipeline.repository).toBe('contoso/app');
    expect(dev.pipeline.githubEnvironment).toBe('development');
  });

  test('an environment with nothing under it takes every default', () => {
    const config = parseConfig(`${DEFAULTS}  profile: development\nenvironments:\n  dev:\n`, FILE);
    expect(config.environments.dev!.profile).toBe('development');
    expect(config.environments.dev!.location).toBe('swedencentral');
  });

  test('accepts JSON content', () => {
    // GIVEN the same environment as YAML and as JSON
    const yaml = loadConfig(join(FIXTURES, 'minimal.yaml'));
    const json = loadConfig(join(FIXTURES, 'minimal.json'));
    // THEN both resolve to the same environment
    expect(json.environments).toEqual(yaml.environments);
    expect(json.environments.sandbox!.location).toBe('westeurope');
  });

  test('remembers the file as given', () => {
    expect(parseConfig(readFileSync(join(FIXTURES, 'minimal.yaml'), 'utf8'), 'x/y.yaml').file).toBe(
      'x/y.yaml',
    );
  });
});

describe('choosing the config file', () => {
  const cwd = process.cwd();
  const saved = process.env.LLMOPS_CONFIG;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'llmops-config-'));
    mkdirSync(join(dir, 'custom'));
    writeFileSync(join(dir, 'custom', 'envs.yaml'), readFileSync(join(FIXTURES, 'minimal.yaml')));
  });

  afterEach(() => {
    process.chdir(cwd);
    if (saved === undefined) delete process.env.LLMOPS_CONFIG;
    else process.env.LLMOPS_CONFIG = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  test('defaults to config/environments.yaml', () => {
    delete process.env.LLMOPS_CONFIG;
    expect(configFilePath()).toBe(DEFAULT_CONFIG_FILE);
  });

  test('LLMOPS_CONFIG selects another file, relative to the current directory', () => {
    // GIVEN a working directory holding custom/envs.yaml and LLMOPS_CONFIG naming it relatively
    process.chdir(dir);
    process.env.LLMOPS_CONFIG = 'custom/envs.yaml';
    // WHEN the config is loaded without an argument
    const config = loadConfig();
    // THEN that file is read
    expect(config.file).toBe('custom/envs.yaml');
    expect(Object.keys(config.environments)).toEqual(['sandbox']);
  });

  test('an explicit file wins over LLMOPS_CONFIG', () => {
    process.env.LLMOPS_CONFIG = 'custom/envs.yaml';
    expect(configFilePath('other.yaml')).toBe('other.yaml');
  });

  test('an empty LLMOPS_CONFIG counts as unset', () => {
    process.env.LLMOPS_CONFIG = '';
    expect(configFilePath()).toBe(DEFAULT_CONFIG_FILE);
  });
});

describe('bad input: every problem names the file and the full path, all reported at once', () => {
  test('fails when the file does not exist', () => {
    // GIVEN a path to no file
    const missing = join(FIXTURES, 'does-not-exist.yaml');
    // WHEN it is loaded THEN the error names the file and says what to do
    expect(() => loadConfig(missing)).toThrow(ValidationError);
    expect(() => loadConfig(missing)).toThrow(`Cannot read environment config ${missing}`);
    expect(() => loadConfig(missing)).toThrow(
      'file not found (set LLMOPS_CONFIG or create config/environments.yaml)',
    );
  });

  test('fails when the path is a directory', () => {
    expect(() => loadConfig(FIXTURES)).toThrow(
      `Cannot read environment config ${FIXTURES}:\n  - is a directory: name the YAML or JSON file itself`,
    );
  });

  test('fails when the file is empty', () => {
    const error = invalid('# nothing here\n');
    expect(error.message).toContain(`Invalid environment config ${FILE}`);
    expect(problemsOf(error)).toEqual(['the file is empty: it must declare environments']);
  });

  test('fails when the YAML does not parse, naming the line', () => {
    const error = invalid('environments:\n  dev: [\n');
    expect(error.message).toContain(`Invalid environment config ${FILE}`);
    expect(problemsOf(error)).toHaveLength(1);
    expect(problemsOf(error)[0]).toMatch(/at line 3, column 1$/);
  });

  test('fails when a YAML key is repeated', () => {
    // GIVEN dev declares location twice
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    location: swedencentral\n    location: westeurope\n`,
    );
    // THEN the problem has the key's full path and its line
    expect(error.message).toContain(FILE);
    expect(problemsOf(error)).toEqual([
      'environments.dev.location: duplicate key "location" at line 10, column 5: each key may appear only once',
    ]);
  });

  test('fails when a JSON key is repeated', () => {
    const error = invalid(
      '{"environments": {"dev": {"workload": "a", "workload": "b"}}}',
      'config/test.json',
    );
    expect(error.message).toContain('Invalid environment config config/test.json');
    expect(problemsOf(error)).toEqual([
      'environments.dev.workload: duplicate key "workload" at line 1, column 44: each key may appear only once',
    ]);
  });

  test('fails when an environment name is declared twice', () => {
    const error = invalid(`${DEFAULTS}environments:\n  prod: {}\n  dev: {}\n  prod: {}\n`);
    expect(problemsOf(error)).toEqual([
      'environments.prod: duplicate key "prod" at line 10, column 3: each key may appear only once',
    ]);
  });

  test('fails when a key is unknown, listing the allowed keys', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  prod:\n    foo: 1\n    logging: { retentionDays: 30, keepForever: true }\n    pipeline: { runner: { labels: [x] } }\n    models: { azure: { secondaryLocations: [germanywestcentral] } }\n`,
    );
    const problems = problemsOf(error).sort();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^environments\.prod\.foo: unknown key \(allowed: cloud, profile, location, workload, .*\)$/,
    );
    expect(problems[1]).toBe(
      'environments.prod.logging.keepForever: unknown key (allowed: retentionDays, dailyQuotaGb)',
    );
  });

  test('fails when a top-level key is unknown', () => {
    const error = invalid(
      `${DEFAULTS}environment:\n  dev: {}\nenvironments:\n  dev: { profile: development }\n`,
    );
    expect(problemsOf(error)).toEqual([
      'environment: unknown key (allowed: $schema, defaults, environments)',
    ]);
  });

  test('fails when a value has the wrong type', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    logging: { retentionDays: thirty }\n    protection: { preventDestroy: "no" }\n`,
    );
    expect(problemsOf(error)).toEqual([
      'environments.dev.protection.preventDestroy: "no" is not a valid boolean',
      'environments.dev.logging.retentionDays: "thirty" is not a valid number',
    ]);
  });

  test('fails when a value is out of range', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    logging: { retentionDays: 10 }\n  test:\n    profile: development\n    logging: { retentionDays: 1000 }\n`,
    );
    expect(problemsOf(error)).toEqual([
      'environments.dev.logging.retentionDays: 10 is too small: minimum 30',
      'environments.test.logging.retentionDays: 1000 is too large: maximum 730',
    ]);
  });

  test('fails when a value must be positive, saying the bound itself is not allowed', () => {
    // GIVEN zero where the schema wants a positive number (an exclusive minimum)
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    logging: { dailyQuotaGb: 0 }\n    gateway: { tokenLimits: { tokensPerMinute: 0 } }\n`,
    );
    // THEN the message says "greater than", not "minimum 0" (which 0 would meet)
    expect(problemsOf(error)).toEqual([
      'environments.dev.logging.dailyQuotaGb: 0 is too small: must be greater than 0',
      'environments.dev.gateway.tokenLimits.tokensPerMinute: 0 is too small: must be greater than 0',
    ]);
  });

  test('fails when a value breaks a format rule, quoting the value once', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    workload: Bad_1\n    azure: { subscriptionId: nope }\n`,
    );
    expect(problemsOf(error)).toEqual([
      'environments.dev.workload: "Bad_1" must be 2-10 lowercase letters and digits, starting with a letter',
      'environments.dev.azure.subscriptionId: "nope" is not a GUID',
    ]);
  });

  test('fails when the location is not an Azure region', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  prod:\n    location: mars\n    pipeline: { runner: { labels: [x] } }\n`,
    );
    expect(error.message).toContain(`Invalid environment config ${FILE}`);
    expect(error.message).toContain('environments.prod.location: "mars" is not an Azure region');
    expect(error.problems).toEqual([
      {
        path: 'environments.prod.location',
        message: '"mars" is not an Azure region (e.g. swedencentral, westeurope, eastus2)',
      },
    ]);
  });

  test.each([
    ['Prod', 'uppercase'],
    ['d', 'too short'],
    ['1dev', 'starts with a digit'],
    ['development', 'longer than 10'],
    ['dev-', 'ends with a hyphen'],
    ['a--b', 'has two hyphens in a row'],
  ])('fails when an environment is named %j (%s)', (name) => {
    const error = invalid(`${DEFAULTS}environments:\n  ${name}: {}\n`);
    expect(problemsOf(error)).toEqual([
      `environments.${name}: environment name ${JSON.stringify(name)} must be 2-10 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen`,
    ]);
  });

  test('fails when an Azure environment has a hyphen in its name (storage account names allow none)', () => {
    const error = invalid(`${DEFAULTS}environments:\n  dev-1: { profile: development }\n`);
    expect(problemsOf(error)).toEqual([
      'environments.dev-1: environment name "dev-1" has a hyphen: Azure environment names are letters and digits only (they are part of storage account names); hyphens are allowed in AWS environments',
    ]);
  });

  test('fails when there is no environment', () => {
    expect(problemsOf(invalid('environments: {}\n'))).toEqual([
      'environments: {}: declare at least one environment',
    ]);
  });

  test('fails when tags.owner is missing', () => {
    const error = invalid(
      'environments:\n  dev:\n    profile: development\n    location: swedencentral\n    workload: llmops\n    namingSeed: s\n',
    );
    expect(problemsOf(error)).toEqual([
      'environments.dev.tags.owner: is required: the team or person accountable for the environment',
    ]);
  });

  test('fails when tags.owner is blank', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    tags: { owner: " " }\n`,
    );
    expect(problemsOf(error)).toEqual([
      'environments.dev.tags.owner: is required: the team or person accountable for the environment',
    ]);
  });

  test('fails when preventDestroy is false without a reason', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    protection: { preventDestroy: false }\n`,
    );
    expect(problemsOf(error)).toEqual([
      'environments.dev.protection.reason: is required when preventDestroy is false: say why this environment may lose data',
    ]);
  });

  test('accepts preventDestroy false with a reason', () => {
    const config = parseConfig(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    protection: { preventDestroy: false, reason: " throwaway sandbox, rebuilt nightly " }\n`,
      FILE,
    );
    expect(config.environments.dev!.protection).toEqual({
      preventDestroy: false,
      locks: false,
      customerManagedKeys: false,
      reason: 'throwaway sandbox, rebuilt nightly',
    });
  });

  test('fails when a private environment has no self-hosted runner labels', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  prod:\n    network: { mode: private }\n    models: { azure: { secondaryLocations: [germanywestcentral] } }\n`,
    );
    expect(problemsOf(error)).toEqual([
      expect.stringMatching(
        /^environments\.prod\.pipeline\.runner: a private environment deploys from self-hosted runners .*set pipeline\.runner\.labels$/,
      ),
    ]);
  });

  test('fails when workload and environment make a derived name too long', () => {
    // GIVEN a 7-letter workload and an 8-letter environment: kv-<7>-<8>-<5> is 25 characters, Key Vault allows 24
    const error = invalid(
      'environments:\n  abcdefgh:\n    profile: development\n    location: swedencentral\n    workload: abcdefg\n    namingSeed: s\n    tags: { owner: me }\n',
    );
    // THEN the config is rejected at load (exit 2), naming the resource type, the name, the rule and the fix
    expect(problemsOf(error)).toEqual([
      expect.stringMatching(
        /^environments\.abcdefgh\.workload: Key Vault name "kv-abcdefg-abcdefgh-[a-z0-9]{5}" breaks the rule: 3-24 .* \(derived from workload "abcdefg" and environment "abcdefgh": shorten one\)$/,
      ),
    ]);
  });

  test('fails when a resource group, state account or state container given by name breaks its Azure rule', () => {
    // GIVEN explicit names that Azure would refuse
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    azure: { resourceGroupName: "rg-dev." }\n    state: { backend: azurerm, storageAccountName: My_State, containerName: "Tf State", resourceGroupName: "" }\n`,
    );
    // THEN each is reported at its config path (exit 2), not later by a construct, naming the rule
    expect(problemsOf(error)).toEqual([
      'environments.dev.state.containerName: "Tf State" is not a valid blob container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
    ]);
    const names = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    azure: { resourceGroupName: "rg-dev." }\n    state: { backend: azurerm, storageAccountName: My_State, resourceGroupName: "" }\n`,
    );
    expect(problemsOf(names)).toEqual([
      'environments.dev.azure.resourceGroupName: resource group name "rg-dev." breaks the rule: 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period',
      'environments.dev.state.resourceGroupName: resource group name "" breaks the rule: 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period',
      'environments.dev.state.storageAccountName: storage account name "My_State" breaks the rule: 3-24 lowercase letters and digits, globally unique',
      'environments.dev.state.resourceGroupName: "" is not the environment resource group "rg-dev.", where bootstrap-dev creates the state account: remove the key or set it to "rg-dev."',
    ]);
  });

  test('fails when the state resource group is not the one the bootstrap stack creates the state account in', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    profile: development\n    state: { backend: azurerm, resourceGroupName: rg-shared-state }\n`,
    );
    expect(problemsOf(error)).toEqual([
      'environments.dev.state.resourceGroupName: "rg-shared-state" is not the environment resource group "rg-llmops-dev-sdc", where bootstrap-dev creates the state account: remove the key or set it to "rg-llmops-dev-sdc"',
    ]);
  });

  test('reports every problem of every environment in one run', () => {
    // GIVEN a file with five problems in two environments, schema and cross-field ones mixed
    const file = join(FIXTURES, 'invalid.yaml');
    // WHEN it is loaded
    let error: ValidationError | undefined;
    try {
      loadConfig(file);
    } catch (e) {
      error = e as ValidationError;
    }
    // THEN all five are reported, each with its full path, under the file name
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.message.split('\n')[0]).toBe(`Invalid environment config ${file}:`);
    expect(error!.problems.map((p) => p.path)).toEqual([
      'environments.dev.location',
      'environments.dev.logging.retentionDays',
      'environments.prod.foo',
      'environments.prod.protection.reason',
      'environments.prod.pipeline.runner',
    ]);
  });

  test('a bad environment name does not hide the problems of the other environments', () => {
    const error = invalid(`${DEFAULTS}environments:\n  Prod: {}\n  dev:\n    location: mars\n`);
    expect(error.problems.map((p) => p.path)).toEqual(['environments.Prod', 'environments.dev.location']);
  });

  test('the message lists every problem on its own line', () => {
    const error = invalid(
      `${DEFAULTS}environments:\n  dev:\n    location: mars\n    logging: { retentionDays: 10 }\n`,
    );
    expect(error.message).toBe(
      [
        `Invalid environment config ${FILE}:`,
        '  - environments.dev.location: "mars" is not an Azure region (e.g. swedencentral, westeurope, eastus2)',
        '  - environments.dev.logging.retentionDays: 10 is too small: minimum 30',
      ].join('\n'),
    );
  });
});

describe('problem paths', () => {
  test('name list items by index in brackets, keys with dots', () => {
    // GIVEN a list item of the wrong kind
    const run = () =>
      parseConfig(
        'environments:\n  dev:\n    profile: development\n    location: swedencentral\n    workload: llmops\n    namingSeed: x\n    tags: { owner: me }\n    pipeline:\n      reviewers: [ok, 7]\n',
        'paths.yaml',
      );
    // THEN the path reads like the YAML, with the index in brackets
    expect(run).toThrow(/environments\.dev\.pipeline\.reviewers\[1\]: 7 is not a valid string/);
  });
});
