/**
 * Small shared helpers for tests that synthesize constructs and stacks.
 *
 * - {@link testStack}: a `TerraformStack` with the azurerm and azapi providers, in a test app that writes
 *   nothing to disk.
 * - {@link synthStack}: `Testing.synth(stack, true)` (validations and policy rules run) parsed as JSON.
 * - {@link resourcesOf} / {@link onlyResource}: the resources of one type in that JSON.
 * - {@link ref}: a Terraform reference as it appears in that JSON.
 * - {@link testConfig} / {@link testEnvironment}: an `EnvironmentConfig` from a YAML snippet, through the
 *   real loader (`parseConfig`), so tests get every default the stacks see.
 */
import { tmpdir } from 'node:os';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { type App, TerraformStack, Testing } from 'cdktf';
import { AzapiProvider } from '../../constructs/core/azapi';
import type { IResourceGroup } from '../../constructs/core/props';
import type { EnvironmentConfig, LoadedConfig } from '../../lib/config/environment';
import type * as ConfigLoader from '../../lib/config/load';

/** Attributes of one synthesized resource (snake_case, as in `cdk.tf.json`). */
export type Attributes = Record<string, unknown>;

/** A Terraform reference as it appears in synthesized JSON: `ref('a.b.id')` is `${a.b.id}`. */
export const ref = (expression: string): string => `\${${expression}}`;

/** A synthesized stack, as `Testing.synth` writes it (no `//` metadata, keys sorted). */
export interface SynthJson {
  readonly resource?: Record<string, Record<string, Attributes>>;
  readonly data?: Record<string, Record<string, Attributes>>;
  readonly provider?: Record<string, Attributes[]>;
  readonly output?: Record<string, { value: unknown }>;
  readonly terraform?: {
    readonly backend?: Record<string, Attributes>;
    readonly required_providers?: Record<string, { source: string; version: string }>;
  };
}

/**
 * A test app. Its outdir is the system temp directory, which exists, so creating the app writes nothing;
 * tests only call `Testing.synth`, never `app.synth()`, on it.
 */
export function testApp(): App {
  return Testing.app({ outdir: tmpdir() });
}

/** A stack with the azurerm and azapi providers, as every stack of the project has. */
export function testStack(id = 'test'): TerraformStack {
  const stack = new TerraformStack(testApp(), id);
  new AzurermProvider(stack, 'Azurerm', { features: [{}] });
  new AzapiProvider(stack, 'Azapi');
  return stack;
}

/** A resource group given by name, as constructs receive the bootstrap's group in the environment stack. */
export const TEST_RESOURCE_GROUP: IResourceGroup = {
  name: 'rg-test',
  location: 'swedencentral',
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test',
};

/** Synthesizes `stack` with validations (policy rules included) and parses the JSON. Throws on a policy error. */
export function synthStack(stack: TerraformStack): SynthJson {
  return JSON.parse(Testing.synth(stack, true)) as SynthJson;
}

/** The resources of `type`, by logical id (empty when there is none). */
export function resourcesOf(json: SynthJson, type: string): Record<string, Attributes> {
  return json.resource?.[type] ?? {};
}

/** The one resource of `type`; fails the test when there is not exactly one. */
export function onlyResource(json: SynthJson, type: string): Attributes {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** Every resource of the stack as `[type, logical id, attributes]`. */
export function allResources(json: SynthJson): [string, string, Attributes][] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
    Object.entries(byId).map(([id, attrs]): [string, string, Attributes] => [type, id, attrs]),
  );
}

/** The defaults every test environment starts from (a config needs workload, seed, region and owner). */
export const TEST_DEFAULTS_YAML = `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags:
    owner: test-team
`;

/** Loads a whole config file's text through the real loader. */
export function testConfig(yaml: string, file = 'test/fixtures/config/inline.yaml'): LoadedConfig {
  // Required on use, so construct tests that never build a config do not load every config section.
  const { parseConfig } = require('../../lib/config/load') as typeof ConfigLoader;
  return parseConfig(yaml, file);
}

/**
 * One environment from a YAML snippet of its body, on top of {@link TEST_DEFAULTS_YAML}.
 *
 * @example testEnvironment('profile: production\npipeline:\n  runner:\n    labels: [self-hosted]', 'prod')
 */
export function testEnvironment(body = 'profile: development', name = 'dev'): EnvironmentConfig {
  const indented = body
    .split('\n')
    .map((line) => (line.trim() ? `    ${line}` : line))
    .join('\n');
  const config = testConfig(`${TEST_DEFAULTS_YAML}environments:\n  ${name}:\n${indented || '    {}'}\n`);
  return config.environments[name]!;
}

/**
 * A production (private) environment body: private networks deploy from self-hosted runners, and a
 * production gateway fails over to a second region.
 */
export const PRIVATE_ENVIRONMENT_YAML = `profile: production
models:
  azure:
    secondaryLocations: [germanywestcentral]
pipeline:
  runner:
    labels: [self-hosted]`;
