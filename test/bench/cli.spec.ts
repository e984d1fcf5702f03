import { benchMain } from '../../lib/bench/cli';
import { UsageError } from '../../lib/cli/exit';

describe('npm run bench: usage', () => {
  test.each(['0', '51', '2.5', 'many'])('fails when --runs is %s, naming the allowed range', (runs) => {
    expect(() => benchMain(['--runs', runs])).toThrow(new UsageError(`--runs ${runs}: allowed 1-50`));
  });

  test('fails on an unknown flag before measuring anything', () => {
    expect(() => benchMain(['--fast'])).toThrow(UsageError);
  });
});
