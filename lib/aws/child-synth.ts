import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../cli/exit';
import type { LoadedConfig } from '../config/environment';

/** What the AWS synth child process ended with. */
export interface ChildSynthResult {
  /** Its exit code (0, 1 or 2, as every command here); 1 when it was killed by a signal. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A running AWS synth: started before the config is loaded, it renders once it is handed the checked
 * config, and can be stopped when it is not needed (bad config, no AWS environment) or the Azure half failed.
 */
export interface ChildSynth {
  /**
   * Hands the child the checked config: writes it as JSON to a file of its own and sends the file's path
   * to the child's stdin. At most once; after the child has exited or been stopped, it does nothing.
   */
  render(config: LoadedConfig): void;
  readonly result: Promise<ChildSynthResult>;
  /** Ends the child if it still runs and resolves once it has exited (it writes nothing after that). */
  stop(): Promise<void>;
}

/** The switch of the AWS entry (bin/aws.ts) that makes it wait for the checked config on stdin. */
export const CHECKED_CONFIG_SWITCH = 'checked-config-on-stdin';

/** Errors of the child's stdin that only mean the child has gone: its exit code tells what happened. */
const CHILD_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

/**
 * Starts the AWS synth (`bin/aws.js --outdir <outdir> --summary --checked-config-on-stdin`) in a child
 * process, so that it runs on the second core beside this process, and each process stays under its own
 * memory budget (aws-cdk-lib and the azurerm provider bindings are each a few hundred megabytes of
 * modules). The child starts at once and loads the AWS rendering (aws-cdk-lib, cdk-nag) while this process
 * loads and checks the config; {@link ChildSynth.render} then hands it the checked config: as JSON in a
 * temporary file (the config is plain data: JSON drops its `undefined` properties, which read the same, and
 * would write `null` for an `undefined` array item or a number that is not finite, which the checked config
 * cannot hold), whose path goes to the child's stdin as one line ({@link receiveCheckedConfig} reads it).
 * So the child loads neither the schema nor the YAML parser. Only the path travels through the pipe: this
 * process's event loop is blocked by the Azure synth that follows, and a write that fits the pipe's buffer
 * is the one that reaches the child without it (libuv writes at once when nothing is queued). Built-in
 * CloudFormation validation is off (`CDK_VALIDATION=false`): `.ci/run` runs one strict `npx cdk synth`.
 *
 * @param script the compiled AWS app entry (`dist/bin/aws.js`)
 * @param temporaryDir where the checked config's temporary directory is made (default: the system's)
 */
export function startAwsSynth(script: string, outdir: string, temporaryDir = tmpdir()): ChildSynth {
  const child = spawn(
    process.execPath,
    [script, '--outdir', outdir, '--summary', `--${CHECKED_CONFIG_SWITCH}`],
    {
      env: { ...process.env, CDK_VALIDATION: 'false' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let configDir: string | undefined;
  let rendered = false;
  let stopped = false;
  const removeConfig = () => {
    if (!configDir) return;
    try {
      rmSync(configDir, { recursive: true, force: true });
    } catch {
      // A temporary directory left behind (a permission changed under it) is not worth failing synth over.
    }
  };
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // Settles once the child has exited and its streams are closed, or at once when it never started (an
  // 'error' without a pid), whatever `result` settled with before.
  const exited = new Promise<void>((resolve) => {
    child.on('close', () => resolve());
    child.on('error', () => {
      if (child.pid === undefined) resolve();
    });
  });
  const result = new Promise<ChildSynthResult>((resolve, reject) => {
    child.on('error', reject);
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (!CHILD_GONE.has(error.code ?? '')) reject(error);
    });
    child.on('close', (code) => {
      removeConfig();
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
  // Handled here too: a caller that only stops the child never awaits `result`, and a rejection nobody
  // handles would end this process.
  result.catch(() => undefined);
  return {
    render: (config) => {
      if (rendered) throw new Error('render() was called twice: the child renders one config');
      rendered = true;
      if (stopped || child.exitCode !== null || child.signalCode !== null) return;
      configDir = mkdtempSync(join(temporaryDir, 'llmops-checked-config-'));
      const file = join(configDir, 'config.json');
      writeFileSync(file, JSON.stringify(config));
      child.stdin.end(`${file}\n`);
    },
    result,
    stop: async () => {
      stopped = true;
      // SIGKILL: nothing of its work is wanted any more, and a child that ignored SIGTERM would hang synth.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // Not `result`: it may have been rejected (an error writing the child's stdin) while the child runs.
      await exited;
      removeConfig();
    },
  };
}

/**
 * The child's side of {@link ChildSynth.render}: the first line of `stdin` is the path of the JSON file
 * holding the checked config. Start it before loading the rendering (it only listens), await it after.
 *
 * @throws UsageError (exit 2) when stdin ends without a line
 */
export async function receiveCheckedConfig(stdin: NodeJS.ReadableStream): Promise<LoadedConfig> {
  stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of stdin) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  const file = text.split('\n')[0];
  if (!file || !text.includes('\n'))
    throw new UsageError(`--${CHECKED_CONFIG_SWITCH}: stdin ended without the path of the checked config`);
  return JSON.parse(readFileSync(file, 'utf8')) as LoadedConfig;
}
