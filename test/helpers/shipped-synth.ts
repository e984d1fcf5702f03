/**
 * The environment stacks of the shipped config, synthesized once per state of the sources and shared by
 * the test files that only read their JSON. Synthesizing an environment costs one to two seconds; several
 * files check the same three stacks from different angles (policies, alerts, identities).
 *
 * The cache lives in the OS temp directory under a hash of everything the output depends on (lib/,
 * constructs/, config/ and package-lock.json, by path and content), so any change to them synthesizes
 * afresh. Workers that miss the cache at the same time both write the same bytes; each write is a rename,
 * so a reader never sees half a file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Testing } from 'cdktf';
import { loadConfig } from '../../lib/config/load';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { type SynthJson, testApp } from './synth';

const REPO = join(__dirname, '..', '..');
const INPUTS = ['lib', 'constructs', 'config', 'package-lock.json'];

let inputsHash: string | undefined;

/** A hash of every file the synthesized stacks depend on, by path and content. */
function hashOfInputs(): string {
  if (inputsHash) return inputsHash;
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else hash.update(relative(REPO, child)).update('\0').update(readFileSync(child)).update('\0');
    }
  };
  for (const input of INPUTS) {
    const path = join(REPO, input);
    if (input.includes('.')) hash.update(input).update('\0').update(readFileSync(path)).update('\0');
    else visit(path);
  }
  inputsHash = hash.digest('hex').slice(0, 16);
  return inputsHash;
}

/**
 * The synthesized environment stack `name` of config/environments.yaml, as `synthStack` returns it
 * (`Testing.synth(stack, true)`: validations and policy rules run, which throw on a policy error).
 */
export function shippedEnvironmentJson(name: string): SynthJson {
  const dir = join(tmpdir(), 'llmops-shipped-synth', hashOfInputs());
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) {
    const env = loadConfig(join(REPO, 'config/environments.yaml')).environments[name];
    if (!env) throw new Error(`config/environments.yaml has no environment ${JSON.stringify(name)}`);
    const text = Testing.synth(new EnvironmentStack(testApp(), env), true);
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as SynthJson;
}
