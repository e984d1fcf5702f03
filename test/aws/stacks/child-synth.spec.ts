import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAwsSynth } from '../../../lib/aws/child-synth';
import type { LoadedConfig } from '../../../lib/config/environment';

/**
 * The child process `npm run synth` runs the AWS app in: it starts before the config is loaded, receives the
 * checked config through a file whose path arrives on its stdin, and its exit code and both streams reach
 * the parent, which maps them to its own exit code and leaves both outputs untouched on a failure
 * (bin/synth.ts). A stand-in script plays the AWS app; aws-entry.spec.ts runs the real one.
 */
/** A stand-in config: the child only passes it on. */
const CONFIG = {
  file: 'config/environments.yaml',
  environments: { box: { name: 'box', cloud: 'aws' } },
} as unknown as LoadedConfig;

/** A stand-in script's lines that read the first line of stdin into `line` (as bin/aws.ts does). */
const READ_LINE = `
let text = '';
process.stdin.on('data', (chunk) => { text += chunk; });
const line = new Promise((resolve) => {
  process.stdin.on('data', () => { if (text.includes('\\n')) resolve(text.slice(0, text.indexOf('\\n'))); });
  process.stdin.on('end', () => resolve(undefined));
});
`;

describe('startAwsSynth', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'llmops-child-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const script = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, body);
    return file;
  };

  test('passes the out directory, --summary and --checked-config-on-stdin, validation off, and returns stdout', async () => {
    const file = script(
      'ok.js',
      `${READ_LINE}
line.then((path) => process.stdout.write(JSON.stringify({
  argv: process.argv.slice(2),
  validation: process.env.CDK_VALIDATION,
  config: JSON.parse(require('node:fs').readFileSync(path, 'utf8')),
})));`,
    );
    const child = startAwsSynth(file, join(dir, 'out'));
    child.render({ config: CONFIG, configFile: join(dir, 'config.json') });
    const result = await child.result;
    expect(result.code).toBe(0);
    // THEN the child read the config this process handed over, from the file whose path came on stdin
    expect(JSON.parse(result.stdout)).toEqual({
      argv: ['--outdir', join(dir, 'out'), '--summary', '--checked-config-on-stdin'],
      validation: 'false',
      config: CONFIG,
    });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual(CONFIG);
  });

  test('the path reaches the child while this process is busy (the Azure synth blocks its event loop)', async () => {
    // GIVEN a child that reports when the path arrived
    const file = script(
      'clock.js',
      `${READ_LINE}\nline.then(() => process.stdout.write(String(Date.now())));`,
    );
    const child = startAwsSynth(file, join(dir, 'out'));
    // Let the child start and wait on stdin.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // WHEN this process hands the config over and then computes for a second without yielding
    child.render({ config: CONFIG, configFile: join(dir, 'busy.json') });
    const handedOver = Date.now();
    while (Date.now() - handedOver < 1_000) {
      // busy, as a synth is
    }
    // THEN the child had the path long before this process yielded
    const arrived = Number((await child.result).stdout);
    expect(arrived - handedOver).toBeLessThan(500);
  });

  test.each([
    [1, 'AWS synth failed\n[error LLMOPS-AWS-S3-VERSIONED] ...'],
    [2, 'error: Invalid environment config config/environments.yaml:'],
  ])('reports exit %i with its stderr', async (code, message) => {
    const file = script(
      `exit-${code}.js`,
      `process.stderr.write(${JSON.stringify(message)}); process.exit(${code});`,
    );
    const child = startAwsSynth(file, join(dir, 'out'));
    const result = await child.result;
    // Handing the config to a child that has exited does not throw: its exit code tells what happened.
    child.render({ config: CONFIG, configFile: join(dir, `late-${code}.json`) });
    expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
      code,
      stderr: message,
      stdout: '',
    });
  });

  test('stop() ends a child waiting for its config and resolves once it has exited', async () => {
    const file = script(
      'waiting.js',
      `${READ_LINE}\nline.then(() => process.exit(0));\nsetTimeout(() => {}, 60_000);`,
    );
    const child = startAwsSynth(file, join(dir, 'out'));
    await child.stop();
    // THEN the child is gone: its result is settled, with the code of a killed process
    const settled = await Promise.race([
      child.result,
      new Promise<'pending'>((r) => setImmediate(() => r('pending'))),
    ]);
    expect(settled).not.toBe('pending');
    expect((settled as { code: number }).code).not.toBe(0);
  });

  test('stop() on a child that has finished does nothing and resolves', async () => {
    const file = script('done.js', 'process.stdout.write("[]");');
    const child = startAwsSynth(file, join(dir, 'out'));
    const result = await child.result;
    await child.stop();
    expect(result).toEqual({ code: 0, stdout: '[]', stderr: '' });
  });
});
