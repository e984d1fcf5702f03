import { interleaved, measure, median, repeat, type Sample } from '../../lib/bench/measure';

describe('median', () => {
  test('an odd count gives the middle value of the sorted values, leaving the input as it was', () => {
    const values = [3, 1, 2];
    expect(median(values)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
  });

  test('an even count gives the mean of the two middle values', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('repeat', () => {
  test('takes `runs` samples: median wall, its min and max, and the largest peak RSS', () => {
    // GIVEN three samples whose largest RSS is not the median run's
    const samples: Sample[] = [
      { wall: 2, rssMb: 100 },
      { wall: 5, rssMb: 90 },
      { wall: 1, rssMb: 300 },
    ];
    let calls = 0;
    // WHEN repeated three times
    const timing = repeat(3, () => samples[calls++]!);
    // THEN
    expect(calls).toBe(3);
    expect(timing).toEqual({ wall: 2, rssMb: 300, min: 1, max: 5 });
  });
});

describe('measure', () => {
  test('returns the wall time and peak memory of a command that succeeds', () => {
    const sample = measure(process.cwd(), [process.execPath, '-e', '']);
    expect(sample.wall).toBeGreaterThan(0);
    expect(sample.rssMb).toBeGreaterThan(1);
  });

  test('fails naming the command, its exit code and its stderr when it exits non-zero', () => {
    expect(() =>
      measure(process.cwd(), [process.execPath, '-e', 'console.error("boom"); process.exit(3)']),
    ).toThrow(/-e console\.error\("boom"\); process\.exit\(3\) exited 3:\nboom/);
  });
});

describe('interleaved', () => {
  test('runs the commands in rounds after one warm-up each, and summarizes each apart', () => {
    // GIVEN two commands that record the order they run in and take longer each time
    const order: string[] = [];
    const command = (name: string, base: number) => {
      let n = 0;
      return (): Sample => {
        order.push(name);
        n += 1;
        return { wall: base + n, rssMb: base * 10 + n };
      };
    };
    // WHEN interleaved over three rounds
    const timings = interleaved(3, { a: command('a', 1), b: command('b', 100) });
    // THEN each warms up once, then they alternate
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    // AND the warm-up (the first, fastest sample) is not counted
    expect(timings).toEqual({
      a: { wall: 4, min: 3, max: 5, rssMb: 14 },
      b: { wall: 103, min: 102, max: 104, rssMb: 1004 },
    });
  });
});
