/**
 * The layering bin -> lib -> constructs -> constructs/core is enforced by Biome (`overrides` with
 * `noRestrictedImports` patterns in biome.json). These tests plant probe files in a scratch folder that
 * holds the repository's biome.json and the same folder layout (never in the repository itself, where a
 * concurrent build or type-check would pick them up), lint them with the repository's Biome, and remove
 * the folder.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const BIOME = join(REPO, 'node_modules', '.bin', 'biome');
const RULE = 'lint/style/noRestrictedImports';

/** What lint must say about one line of a probe. */
type Verdict = 'allowed' | 'layering' | 'package root';

interface Probe {
  /** The folder (relative to the repository) the probe is planted in. */
  readonly dir: string;
  readonly lines: readonly (readonly [statement: string, verdict: Verdict])[];
}

/** Every layer, each with imports it may not make (and the package-root rule every layer keeps) and ones it may. */
const PROBES: readonly Probe[] = [
  {
    dir: 'constructs/core',
    lines: [
      ["import '../gateway/policies';", 'layering'],
      ["export type * as Models from '../models';", 'layering'],
      ["import '../../lib/app';", 'layering'],
      ["import '../../bin/synth';", 'layering'],
      ["import '@cdktf/provider-azurerm';", 'package root'],
      ["import './json';", 'allowed'],
      ["import '../core/json';", 'allowed'],
      ["import 'cdktf';", 'allowed'],
      ["import '@cdktf/provider-azurerm/lib/resource-group';", 'allowed'],
    ],
  },
  {
    dir: 'constructs/gateway',
    lines: [
      ["import '../../lib/app';", 'layering'],
      ["export type { LoadedConfig } from '../../lib/config/environment';", 'layering'],
      ["import '../../lib';", 'layering'],
      ["import '../../bin/synth';", 'layering'],
      ["import '@cdktf/provider-azurerm';", 'package root'],
      ["import '../core/json';", 'allowed'],
      ["import '../models';", 'allowed'],
      ["import './policies';", 'allowed'],
    ],
  },
  {
    dir: 'lib',
    lines: [
      ["import '../bin/synth';", 'layering'],
      ["import '@cdktf/provider-azurerm';", 'package root'],
      ["import './app';", 'allowed'],
      ["import '../constructs/core/json';", 'allowed'],
    ],
  },
  {
    dir: 'lib/stacks',
    lines: [
      ["import '../../bin/synth';", 'layering'],
      ["import '@cdktf/provider-azurerm';", 'package root'],
      ["import '../app';", 'allowed'],
      ["import '../../constructs/gateway/policies';", 'allowed'],
    ],
  },
  {
    dir: 'bin',
    lines: [
      ["import '@cdktf/provider-azurerm';", 'package root'],
      ["import '../lib/app';", 'allowed'],
      ["import '../constructs/core/json';", 'allowed'],
    ],
  },
];

interface Finding {
  readonly path: string;
  readonly line: number;
  readonly category: string;
  readonly verdict: Verdict;
}

interface BiomeReport {
  readonly diagnostics: readonly {
    readonly category: string;
    readonly message: string;
    readonly location: { readonly path: string; readonly start: { readonly line: number } };
  }[];
}

/** The verdict a diagnostic message stands for: the layering messages start with "Layering". */
function verdictOf(message: string): Verdict {
  if (message.startsWith('Layering (bin -> lib -> constructs -> constructs/core)')) return 'layering';
  if (message.includes("Import '@cdktf/provider-azurerm/lib/<resource>' instead")) return 'package root';
  throw new Error(`unexpected diagnostic message: ${message}`);
}

const byPosition = (a: Finding, b: Finding) => a.path.localeCompare(b.path) || a.line - b.line;

/** Plants one probe per layer holding `lines` (those passing `keep`), lints them, removes them. */
function lintProbes(name: string, keep: (verdict: Verdict) => boolean) {
  const planted = PROBES.map((probe) => ({
    path: `${probe.dir}/__layering_${name}__.ts`,
    lines: probe.lines.filter(([, verdict]) => keep(verdict)),
  }));
  const scratch = mkdtempSync(join(tmpdir(), 'layering-'));
  try {
    copyFileSync(join(REPO, 'biome.json'), join(scratch, 'biome.json'));
    for (const p of planted) {
      mkdirSync(join(scratch, p.path, '..'), { recursive: true });
      writeFileSync(join(scratch, p.path), `${p.lines.map(([s]) => s).join('\n')}\n`);
    }
    // The scratch folder is no git checkout: the VCS integration (ignore files) is off there.
    const run = spawnSync(
      BIOME,
      [
        'lint',
        '--vcs-enabled=false',
        '--reporter=json',
        '--max-diagnostics=200',
        ...planted.map((p) => p.path),
      ],
      { cwd: scratch, encoding: 'utf8', timeout: 30_000 },
    );
    if (run.error) throw run.error;
    const report = JSON.parse(run.stdout) as BiomeReport;
    const found: Finding[] = report.diagnostics.map((d) => ({
      path: d.location.path,
      line: d.location.start.line,
      category: d.category,
      verdict: verdictOf(d.message),
    }));
    const expected: Finding[] = planted.flatMap((p) =>
      p.lines.flatMap(([, verdict], i) =>
        verdict === 'allowed' ? [] : [{ path: p.path, line: i + 1, category: RULE, verdict }],
      ),
    );
    return { status: run.status, found: found.sort(byPosition), expected: expected.sort(byPosition) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('layering bin -> lib -> constructs -> constructs/core (biome.json overrides)', () => {
  test('an import against the layering fails lint, naming the rule, on exactly the violating lines', () => {
    // GIVEN probes in every layer mixing forbidden and allowed imports
    // WHEN Biome lints them
    const { status, found, expected } = lintProbes('violating', () => true);
    // THEN lint fails and reports noRestrictedImports on each forbidden import, and on nothing else
    expect(status).not.toBe(0);
    expect(expected.filter((f) => f.verdict === 'layering')).toHaveLength(10);
    expect(found).toEqual(expected);
  });

  test('the package-root restriction on @cdktf/provider-azurerm still applies in every layer', () => {
    // GIVEN the overrides replace the rule's top-level options for the files they match
    const { found } = lintProbes('root', (verdict) => verdict === 'package root');
    // THEN each layer still reports the package-root import
    expect(found.map((f) => f.path.split('/__layering_')[0])).toEqual([
      'bin',
      'constructs/core',
      'constructs/gateway',
      'lib',
      'lib/stacks',
    ]);
    expect(found.every((f) => f.category === RULE && f.verdict === 'package root')).toBe(true);
  });

  test('imports that follow the layering pass lint', () => {
    // GIVEN probes in every layer holding only allowed imports
    // WHEN Biome lints them
    const { status, found } = lintProbes('compliant', (verdict) => verdict === 'allowed');
    // THEN lint passes with no diagnostic
    expect(found).toEqual([]);
    expect(status).toBe(0);
  });
});
