import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAwsSynth } from '../../../lib/aws/child-synth';

/**
 * The child process `npm run synth` runs the AWS app in: its exit code and both streams reach the parent,
 * which maps them to its own exit code and leaves both outputs untouched on a failure (bin/synth.ts).
 * A stand-in script plays the AWS app.
 */
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

  test('passes the out directory and --summary, validation off, and returns stdout', async () => {
    const file = script(
      'ok.js',
      'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), validation: process.env.CDK_VALIDATION }));',
    );
    const result = await startAwsSynth(file, join(dir, 'out')).result;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      argv: ['--outdir', join(dir, 'out'), '--summary'],
      validation: 'false',
    });
  });

  test.each([
    [1, 'AWS synth failed\n[error LLMOPS-AWS-S3-VERSIONED] ...'],
    [2, 'error: Invalid environment config config/environments.yaml:'],
  ])('reports exit %i with its stderr', async (code, message) => {
    const file = script(
      `exit-${code}.js`,
      `process.stderr.write(${JSON.stringify(message)}); process.exit(${code});`,
    );
    const result = await startAwsSynth(file, join(dir, 'out')).result;
    expect({ code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({
      code,
      stderr: message,
      stdout: '',
    });
  });

  test('stop() ends a child that is still running and resolves once it has exited', async () => {
    const file = script('slow.js', 'setTimeout(() => process.exit(0), 60_000);');
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
