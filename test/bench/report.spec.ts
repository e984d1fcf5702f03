import type { Timing } from '../../lib/bench/measure';
import { type BenchResults, benchReport, perResourceMs } from '../../lib/bench/report';

const timing = (wall: number, rssMb = 100): Timing => ({ wall, rssMb, min: wall - 0.1, max: wall + 0.1 });

const results: BenchResults = {
  runs: 3,
  machine: { cores: 2, memoryGiB: 8, node: 'v20.0.0' },
  configFile: 'config/environments.yaml',
  floor: timing(0.5),
  app: timing(1),
  awsApp: timing(1.25, 210),
  synth: timing(2, 250.4),
  synthNode: timing(1.7),
  scaled: {
    10: { ...timing(3), stacks: 20, resources: 1000 },
    30: { ...timing(5), stacks: 60, resources: 3000 },
  },
  defaultCounts: { dev: 40, prod: 60 },
};

describe('benchReport', () => {
  test('one row per measurement with its median, range and peak RSS', () => {
    const md = benchReport(results);
    expect(md).toContain('Measured by `npm run bench` (3 runs each');
    expect(md).toContain('Machine: 2 cores, 8 GiB, Node v20.0.0. Config: `config/environments.yaml`.');
    expect(md).toContain('| warm `npm run synth` (2 stacks) | 2.00 | 1.90-2.10 | 250 |');
    expect(md).toContain(
      '| AWS app alone (`node dist/bin/aws.js`: AWS stacks, cdk-nag on, CloudFormation validation off) | 1.25 | 1.15-1.35 | 210 |',
    );
    expect(md).toContain(
      '| synth, 30 generated environments (60 stacks, 3000 resources) | 5.00 | 4.90-5.10 | 100 |',
    );
  });

  test('the targets: synth over floor and the cost per extra resource', () => {
    const md = benchReport(results);
    expect(md).toContain(
      '- warm `npm run synth` / floor: **4.0x** (target: within 5x; with the AWS rendering, within 6x); peak 250 MB per process',
    );
    expect(md).toContain('- AWS app alone: **1.25 s**, peak 210 MB (target: under 1.5 s and 300 MB).');
    expect(perResourceMs(results.scaled)).toBeCloseTo(1, 10);
    expect(md).toContain('- cost per extra synthesized resource: **1.00 ms**');
    expect(md).toContain("- npm's own start-up: 0.30 s (0.6x the floor)");
    expect(md).toContain('building 100 resources;');
    // the synth's two halves, each with its own time alone
    expect(md).toMatch(/The Azure half \(this process:[^)]*\) takes 1\.00 s alone\./);
    expect(md).toMatch(/The AWS half \(a child process[^)]*\) takes 1\.25 s alone\./);
    expect(md.endsWith('| dev | 40 |\n| prod | 60 |\n')).toBe(true);
  });

  test('the npm test row and target appear only when the tests were measured', () => {
    expect(benchReport(results)).not.toContain('npm test');
    const md = benchReport({ ...results, tests: { wall: 42, rssMb: 512 } });
    expect(md).toContain('| `npm test` (type-check, lint, jest; one run) | 42.00 | | 512 |');
    expect(md).toContain('- `npm test`: **42.00 s** (target: under 60 s).');
  });
});
