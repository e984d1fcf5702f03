/**
 * The child process `npm run synth` runs the AWS app in: it starts before the config is loaded, receives the
 * checked config through a temporary file whose path arrives on its stdin, and its exit code and both
 * streams reach the parent, which maps them to its own exit code and leaves both outputs untouched on a
 * failure (bin/synth.ts). Stand-in scripts play the AWS app, receiving the config with the compiled
 * `receiveCheckedConfig`; aws-entry.spec.ts runs the real entry.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { receiveCheckedConfig, startAwsSynth } from '../../../lib/aws/child-synth';
import { UsageError } from '../../../lib/cli/exit';
import type { LoadedConfig } from '../../../lib/config/environment';
import { buildDist, REPO } from '../../helpers/compiled';
import { exactly } from '../../helpers/errors';

/** A stand-in config: the child only passes it on. */
const CONFIG = {
  file: 'config/environments.yaml',
  environments: { box: { name: 'box', cloud: 'aws' } },
} as unknown as LoadedConfig;

/** The first lines of a stand-in: the config arrives as `received` (a promise), as in bin/aws.ts. */
const RECEIVE = `const { receiveCheckedConfig } = require(${JSON.stringify(join(REPO, 'dist/lib/aws/child-synth.js'))});
const received = receiveCheckedConfig(process.stdin);
`;

describe('startAwsSynth', () => {
  let dir: string;
  beforeAll(() => {
    expect(buildDist()).toEqual({ status: 0, stderr: '' });
    dir = mkdtempSync(join(tmpdir(), 'llmops-child-'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Each test's checked config goes under a directory of its own, so what is left in it is this test's
  // doing (not that of a synth running beside the tests).
  let configTmp: string;
  beforeEach(() => {
    configTmp = mkdtempSync(join(dir, 'tmp-'));
  });

  const script = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, body);
    return file;
  };
  const checkedConfigDirs = () => readdirSync(configTmp);

  test('passes the out directory, --summary and --checked-config-on-stdin, validation off; the child receives the config', async () => {
    const file = script(
      'ok.js',
      `${RECEIVE}
received.then((config) => process.stdout.write(JSON.stringify({
  argv: process.argv.slice(2),
  validation: process.env.CDK_VALIDATION,
  config,
})));`,
    );
    const child = startAwsSynth(file, join(dir, 'out'), configTmp);
    child.render(CONFIG);
    expect(checkedConfigDirs()).toEqual([expect.stringMatching(/^llmops-checked-config-/)]);
    const result = await child.result;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      argv: ['--outdir', join(dir, 'out'), '--summary', '--checked-config-on-stdin'],
      validation: 'false',
      config: CONFIG,
    });
    // AND the temporary file that carried the config is gone once the child has exited
    expect(checkedConfigDirs()).toEqual([]);
    // AND the config is handed over once
    expect(() => child.render(CONFIG)).toThrow(
      exactly('render() was called twice: the child renders one config'),
    );
  });

  test('the config reaches the child while this process is busy (the Azure synth blocks its event loop)', async () => {
    // GIVEN a child that has started and waits for its config
    const ready = join(dir, 'ready');
    const file = script(
      'clock.js',
      `${RECEIVE}require('node:fs').writeFileSync(${JSON.stringify(ready)}, '');
received.then(() => process.stdout.write(String(Date.now())));`,
    );
    const child = startAwsSynth(file, join(dir, 'out'), configTmp);
    while (!existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 20));
    // WHEN this process hands the config over and then computes for two seconds without yielding
    const busy = 2_000;
    child.render(CONFIG);
    const handedOver = Date.now();
    while (Date.now() - handedOver < busy) {
      // busy, as a synth is
    }
    // THEN the child had the config before this process yielded
    const result = await child.result;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const received = Number(result.stdout);
    expect(received).toBeGreaterThan(handedOver - 1_000);
    expect(received).toBeLessThan(handedOver + busy);
  });

  test('receiveCheckedConfig reads the config from the file named on the first line, in any chunks', async () => {
    const file = join(dir, 'chunked.json');
    writeFileSync(file, JSON.stringify(CONFIG));
    const [head, tail] = [file.slice(0, 5), `${file.slice(5)}\nanything after the line`];
    await expect(
      receiveCheckedConfig(Readable.from([Buffer.from(head), Buffer.from(tail)])),
    ).resolves.toEqual(CONFIG);
  });

  test.each([
    ['ends empty', [] as string[]],
    ['ends without a newline', ['/tmp/config.json']],
  ])('receiveCheckedConfig fails as a usage error (exit 2) when stdin %s', async (_, chunks) => {
    const received = receiveCheckedConfig(Readable.from(chunks.map((c) => Buffer.from(c))));
    await expect(received).rejects.toThrow(UsageError);
    await expect(received).rejects.toThrow(
      exactly('--checked-config-on-stdin: stdin ended without the path of the checked config'),
    );
  });

  test.each([
    [1, 'AWS synth failed\n[error LLMOPS-AWS-S3-VERSIONED] ...'],
    [2, 'error: Invalid environment config config/environments.yaml:'],
  ])('reports exit %i with its stderr', async (code, message) => {
    const file = script(
      `exit-${code}.js`,
      `process.stderr.write(${JSON.stringify(message)}); process.exit(${code});`,
    );
    const child = startAwsSynth(file, join(dir, 'out'), configTmp);
    const result = await child.result;
    // Handing the config to a child that has exited does nothing: its exit code tells what happened.
    child.render(CONFIG);
    expect(checkedConfigDirs()).toEqual([]);
    expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
      code,
      stderr: message,
      stdout: '',
    });
  });

  test('stop() ends a child waiting for its config and resolves once it has exited', async () => {
    const file = script('waiting.js', `${RECEIVE}received.then(() => process.exit(0));`);
    const child = startAwsSynth(file, join(dir, 'out'), configTmp);
    await child.stop();
    // THEN the child is gone: its result is settled, with the code of a killed process
    const settled = await Promise.race([
      child.result,
      new Promise<'pending'>((r) => setImmediate(() => r('pending'))),
    ]);
    expect(settled).not.toBe('pending');
    expect((settled as { code: number }).code).not.toBe(0);
    // AND a config handed over afterwards goes nowhere
    child.render(CONFIG);
    expect(checkedConfigDirs()).toEqual([]);
  });

  test('stop() on a child that has finished does nothing and resolves', async () => {
    const file = script('done.js', 'process.stdout.write("[]");');
    const child = startAwsSynth(file, join(dir, 'out'), configTmp);
    const result = await child.result;
    await child.stop();
    expect(result).toEqual({ code: 0, stdout: '[]', stderr: '' });
  });
});
