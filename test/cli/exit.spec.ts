import { ValidationError } from '../../constructs/core/errors';
import { CheckFailedError, ExitCode, parseFlags, reportError, UsageError } from '../../lib/cli/exit';

/** Runs `reportError` and returns the exit code with what it printed. */
function report(error: unknown): { code: number; stderr: string } {
  let stderr = '';
  const code = reportError(error, (t) => {
    stderr += t;
  });
  return { code, stderr };
}

describe('reportError: the exit code of every command', () => {
  test('bad input (an invalid file or props) exits 2 and lists every problem', () => {
    const { code, stderr } = report(
      new ValidationError('Invalid environment config config/environments.yaml', [
        { path: 'environments.prod.location', message: '"mars" is not an Azure region' },
        { path: 'environments.prod.foo', message: 'unknown key' },
      ]),
    );
    expect(code).toBe(ExitCode.BadInput);
    expect(code).toBe(2);
    expect(stderr).toBe(
      [
        'error: Invalid environment config config/environments.yaml:',
        '  - environments.prod.location: "mars" is not an Azure region',
        '  - environments.prod.foo: unknown key',
        '',
      ].join('\n'),
    );
  });

  test('bad usage exits 2', () => {
    expect(report(new UsageError('--env needs a value'))).toEqual({
      code: 2,
      stderr: 'error: --env needs a value\n',
    });
  });

  test('a failed check exits 1 and prints its report as is', () => {
    expect(report(new CheckFailedError('gate: groundedness 3.2 < 4'))).toEqual({
      code: 1,
      stderr: 'gate: groundedness 3.2 < 4\n',
    });
  });

  test('an unexpected error exits 1 with its stack, so it can be reported', () => {
    const { code, stderr } = report(new TypeError('boom'));
    expect(code).toBe(ExitCode.CheckFailed);
    expect(stderr).toMatch(/^error: TypeError: boom\n\s+at /);
    expect(report('thrown text')).toEqual({ code: 1, stderr: 'error: thrown text\n' });
  });
});

describe('parseFlags', () => {
  const spec = { values: ['env', 'scores'], switches: ['check'], multi: ['allow'] } as const;

  test('reads --flag value, --flag=value, switches and repeated multi flags', () => {
    expect(
      parseFlags(['--env', 'prod', '--scores=s.json', '--check', '--allow', 'a', '--allow=b'], spec),
    ).toEqual({
      values: { env: 'prod', scores: 's.json' },
      switches: { check: true },
      multi: { allow: ['a', 'b'] },
    });
  });

  test('nothing given reads as nothing set', () => {
    expect(parseFlags([], spec)).toEqual({ values: {}, switches: {}, multi: { allow: [] } });
  });

  test('fails with every usage problem at once (exit 2)', () => {
    let error: unknown;
    try {
      parseFlags(['stray', '--nope', '--env', '--scores', 'a', '--scores', 'b'], spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      [
        'unexpected argument "stray"',
        'unknown flag --nope (known: --env, --scores, --check, --allow)',
        '--env needs a value',
        '--scores given twice',
      ].join('; '),
    );
    expect(report(error).code).toBe(2);
  });

  test('fails when a command that takes no flags is given one', () => {
    expect(() => parseFlags(['--verbose'], { values: [] })).toThrow(
      new UsageError('unknown flag --verbose (this command takes no flags)'),
    );
  });

  test('fails when a value is empty', () => {
    expect(() => parseFlags(['--env='], spec)).toThrow('--env needs a value');
  });
});
