import { spawnSync } from 'node:child_process';

/**
 * Runs the command given after the working directory and prints its wall time, the peak resident set of
 * its process tree (getrusage of the waited-for children) and its exit code as JSON.
 */
const MEASURE = `
import resource, subprocess, sys, time, json, os
t = time.perf_counter()
r = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rssMb": rss_kb / 1024, "code": r.returncode, "stderr": r.stderr.decode()[-2000:]}))
`;

/** One run of a command: wall time in seconds, peak RSS of its process tree in MB. */
export interface Sample {
  readonly wall: number;
  readonly rssMb: number;
}

/** Several runs of a command: median, min and max wall time (s) and the largest peak RSS (MB). */
export interface Timing extends Sample {
  readonly min: number;
  readonly max: number;
}

/**
 * Runs `command` once in `cwd` under a small python3 wrapper and returns its wall time and peak memory.
 * Throws, with the command's stderr tail, when the command exits non-zero.
 */
export function measure(cwd: string, command: readonly string[], env: NodeJS.ProcessEnv = {}): Sample {
  const r = spawnSync('python3', ['-c', MEASURE, cwd, ...command], {
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`python3 measurement failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as Sample & { code: number; stderr: string };
  if (out.code !== 0) throw new Error(`${command.join(' ')} exited ${out.code}:\n${out.stderr}`);
  return { wall: out.wall, rssMb: out.rssMb };
}

/** The median of `values` (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Takes `runs` samples with `fn`: the median wall time, its range and the largest peak RSS. */
export function repeat(runs: number, fn: () => Sample): Timing {
  return summarize(Array.from({ length: runs }, fn));
}

/**
 * Takes `runs` samples of each command in rounds (one of each per round, in the given order), so that a
 * machine whose speed drifts during the bench (a shared 2-core VM does, by tens of percent within minutes)
 * slows every command alike and their ratios (synth over the floor) hold. A command's first run is a warm-up
 * and not counted.
 */
export function interleaved<K extends string>(
  runs: number,
  commands: Readonly<Record<K, () => Sample>>,
): Record<K, Timing> {
  const keys = Object.keys(commands) as K[];
  for (const key of keys) commands[key]();
  const samples = Object.fromEntries(keys.map((k) => [k, [] as Sample[]])) as Record<K, Sample[]>;
  for (let round = 0; round < runs; round++) for (const key of keys) samples[key].push(commands[key]());
  return Object.fromEntries(keys.map((k) => [k, summarize(samples[k])])) as Record<K, Timing>;
}

function summarize(samples: readonly Sample[]): Timing {
  const walls = samples.map((s) => s.wall);
  return {
    wall: median(walls),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
    min: Math.min(...walls),
    max: Math.max(...walls),
  };
}
