/**
 * Helpers for the model construct tests. Kept free of `lib/` imports so the construct tests do not depend
 * on the environment config.
 */
import { tmpdir } from 'node:os';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { AzapiProvider } from '../../constructs/core/azapi';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import type { IResourceGroup } from '../../constructs/core/props';
import { applyPolicies } from '../../constructs/policy';

/** Attributes of one synthesized resource (snake_case). */
export type Attributes = Record<string, unknown>;

/** A synthesized stack. */
export interface SynthJson {
  readonly resource?: Record<string, Record<string, Attributes>>;
  readonly output?: Record<string, { value: unknown }>;
}

/** A resource group given by name, as the environment stack passes the bootstrap's group. */
export const RESOURCE_GROUP: IResourceGroup = {
  name: 'rg-test',
  location: 'swedencentral',
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test',
};

/**
 * A stack with both providers, the diagnostics aspect and the project's policy rules (for `networkMode`),
 * as every environment stack has, so `synth` fails on any policy error.
 */
export function modelStack(networkMode: 'public' | 'private' = 'private'): TerraformStack {
  const stack = new TerraformStack(Testing.app({ outdir: tmpdir() }), 'test');
  new AzurermProvider(stack, 'Azurerm', { features: [{}] });
  new AzapiProvider(stack, 'Azapi');
  Aspects.of(stack).add(
    new DiagnosticsAspect({
      workspace: {
        id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log',
      },
    }),
  );
  applyPolicies(stack, { networkMode, requiredTags: [] });
  return stack;
}

/** `Testing.synth(stack, true)` (validations run) parsed. */
export function synth(stack: TerraformStack): SynthJson {
  return JSON.parse(Testing.synth(stack, true)) as SynthJson;
}

/** Resources of `type` by logical id. */
export function resourcesOf(json: SynthJson, type: string): Record<string, Attributes> {
  return json.resource?.[type] ?? {};
}

/** Resources of `type` in synthesis order (logical ids sorted). */
export function listOf(json: SynthJson, type: string): Attributes[] {
  return Object.values(resourcesOf(json, type));
}

/** The one resource of `type`. */
export function onlyOf(json: SynthJson, type: string): Attributes {
  const all = listOf(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** The azapi resources whose `type` starts with `azapiType` (e.g. `Microsoft.CognitiveServices/accounts/raiPolicies@`). */
export function azapiOf(json: SynthJson, azapiType: string): Attributes[] {
  return listOf(json, 'azapi_resource').filter((r) => String(r.type).startsWith(azapiType));
}

/** The problems a `ValidationError` thrown by `fn` carries, as `path: message` lines. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    const problems = (e as { problems?: { path: string; message: string }[] }).problems;
    if (!problems) throw e;
    return problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}
