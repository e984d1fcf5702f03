/**
 * The whole environment stack for tests that check what the capabilities add together. Kept apart from
 * `synth.ts` so construct tests do not load every capability.
 */
import type { EnvironmentConfig } from '../../lib/config/environment';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { type SynthJson, synthStack, testApp } from './synth';

/** The environment stack of `env` in a test app, synthesized with validations (policy rules included). */
export function synthEnvironment(env: EnvironmentConfig): { stack: EnvironmentStack; json: SynthJson } {
  const stack = new EnvironmentStack(testApp(), env);
  return { stack, json: synthStack(stack) };
}
