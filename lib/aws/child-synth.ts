import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { LoadedConfig } from '../config/environment';

/** What the AWS synth child process ended with. */
export interface ChildSynthResult {
  /** Its exit code (0, 1 or 2, as every command here); 1 when it was killed by a signal. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The config the parent has loaded and checked, and the file through which the child receives it. */
export interface CheckedConfigHandOver {
  readonly config: LoadedConfig;
  /** Written by {@link ChildSynth.render}; the caller removes it when the synth is over. */
  readonly configFile: string;
}

/**
 * A running AWS synth: started before the config is loaded, it renders once it is handed the checked
 * config, and can be stopped when it is not needed (bad config, no AWS environment) or the Azure half failed.
 */
export interface ChildSynth {
  /** Writes the checked config to its file and tells the child to render it. Call at most once. */
  render(checked: CheckedConfigHandOver): void;
  readonly result: Promise<ChildSynthResult>;
  /** Ends the child if it still runs and resolves once it has exited (it writes nothing after that). */
  stop(): Promise<void>;
}

/**
 * Starts the AWS synth (`bin/aws.js --outdir <outdir> --summary --checked-config-on-stdin`) in a child
 * process, so that it runs on the second core beside this process, and each process stays under its own
 * memory budget (aws-cdk-lib and the azurerm provider bindings are each a few hundred megabytes of
 * modules). The child starts at once and loads the AWS rendering (aws-cdk-lib, cdk-nag) while this process
 * loads and checks the config; {@link ChildSynth.render} then hands it the checked config: as JSON in a file
 * (the config is plain data: JSON keeps every value but `undefined` ones, which read the same), whose path
 * goes to the child's stdin as one line. So the child loads neither the schema nor the YAML parser. Only the
 * path travels through the pipe: this process's event loop is blocked by the Azure synth that follows, and a
 * write that fits the pipe's buffer is the only one that reaches the child without it. Built-in
 * CloudFormation validation is off (`CDK_VALIDATION=false`): `.ci/run` runs one strict `npx cdk synth` instead.
 *
 * @param script the compiled AWS app entry (`dist/bin/aws.js`)
 */
export function startAwsSynth(script: string, outdir: string): ChildSynth {
  const child = spawn(
    process.execPath,
    [script, '--outdir', outdir, '--summary', '--checked-config-on-stdin'],
    {
      env: { ...process.env, CDK_VALIDATION: 'false' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  // A child that has exited (a failure, or stop()) closes the pipe: its exit code tells what happened.
  child.stdin.on('error', () => undefined);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const result = new Promise<ChildSynthResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
  return {
    render: ({ config, configFile }) => {
      writeFileSync(configFile, JSON.stringify(config));
      child.stdin.end(`${configFile}\n`);
    },
    result,
    stop: async () => {
      // SIGKILL: nothing of its work is wanted any more, and a child that ignored SIGTERM would hang synth.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await result.then(
        () => undefined,
        () => undefined,
      );
    },
  };
}
