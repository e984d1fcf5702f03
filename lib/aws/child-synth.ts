import { spawn } from 'node:child_process';

/** What the AWS synth child process ended with. */
export interface ChildSynthResult {
  /** Its exit code (0, 1 or 2, as every command here); 1 when it was killed by a signal. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running AWS synth: its result, and a way to stop it when it is not needed or the Azure half failed. */
export interface ChildSynth {
  readonly result: Promise<ChildSynthResult>;
  /** Ends the child if it still runs and resolves once it has exited (it writes nothing after that). */
  stop(): Promise<void>;
}

/**
 * Starts the AWS synth (`bin/aws.js --outdir <outdir> --summary`) in a child process, so that it runs on the
 * second core while this process synthesizes the Azure stacks, and each process stays under its own
 * memory budget (aws-cdk-lib and the azurerm provider bindings are each a few hundred megabytes of
 * modules). Built-in CloudFormation validation is off (`CDK_VALIDATION=false`): `.ci/run` runs one strict
 * `npx cdk synth` instead.
 *
 * @param script the compiled AWS app entry (`dist/bin/aws.js`)
 */
export function startAwsSynth(script: string, outdir: string): ChildSynth {
  const child = spawn(process.execPath, [script, '--outdir', outdir, '--summary'], {
    env: { ...process.env, CDK_VALIDATION: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
