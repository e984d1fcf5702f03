#!/usr/bin/env node
/**
 * `npm run test:package`: the constructs as a consumer gets them. Builds, packs the package with
 * `npm pack`, installs the tarball into an empty temporary project with only the peer dependencies (at
 * the versions this repository tests), compiles `examples/package-consumer/main.ts` there with the
 * consumer's own `tsc`, runs it (a plain `TerraformStack` composing a model account, a search service and
 * index, the gateway, baseline alerts, the diagnostics aspect and the policy rules, so synth fails on a
 * policy finding) and checks what it synthesized, that the
 * tarball ships only the compiled constructs, and that the consumer has one copy of `constructs`.
 * Run by `.ci/run`, not by `npm test`. Exit codes: 0 passed, 1 a check failed, 2 bad usage.
 */

const { spawnSync } = require('node:child_process');
const {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
/** The consumer's sources (examples/package-consumer/): the README's stack, every entry point, a failing stack. */
const CONSUMER_FILES = ['main.ts', 'entry-points.ts', 'without-diagnostics.ts'];
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const keep = process.argv.includes('--keep');
const unknown = process.argv.slice(2).filter((a) => a !== '--keep');
if (unknown.length > 0) {
  console.error(
    `test:package: unknown argument ${JSON.stringify(unknown[0])}; allowed: --keep (leave the project)`,
  );
  process.exit(2);
}

const problems = [];
const check = (ok, message) => {
  if (!ok) problems.push(message);
};

/** Runs a command; on failure prints its output and exits 1. */
function run(label, command, args, cwd) {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    console.error(`test:package: ${label} failed (exit ${r.status ?? r.signal})\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  return r.stdout;
}

const work = mkdtempSync(join(tmpdir(), 'llmops-package-'));
try {
  // npm pack runs the package's prepack: a fresh build (no file a removed source left in dist/).
  // The tarball: compiled constructs (JavaScript, declarations, data) and the manifest only.
  const packed = JSON.parse(run('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], root))[0];
  const shipped = packed.files.map((f) => f.path);
  const stray = shipped.filter(
    (p) =>
      !p.startsWith('dist/constructs/') &&
      !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(p),
  );
  check(stray.length === 0, `the tarball ships files a consumer does not need: ${stray.join(', ')}`);
  check(
    shipped.some((p) => p.endsWith('.d.ts')),
    'the tarball ships no declarations (.d.ts)',
  );

  // An empty project with the tarball and the peer dependencies at the versions tested here.
  const consumer = join(work, 'consumer');
  const peers = Object.keys(pkg.peerDependencies);
  const tested = { ...pkg.devDependencies, ...pkg.dependencies };
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify(
      {
        name: 'package-consumer',
        private: true,
        dependencies: {
          'llmops-platform': `file:${join(work, packed.filename)}`,
          ...Object.fromEntries(peers.map((p) => [p, tested[p]])),
        },
        devDependencies: { typescript: tested.typescript, '@types/node': tested['@types/node'] },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          // Every declaration is checked, the package's own included: a broken .d.ts fails here.
          skipLibCheck: false,
          types: ['node'],
          outDir: 'dist',
        },
        files: CONSUMER_FILES,
      },
      null,
      2,
    )}\n`,
  );
  for (const f of CONSUMER_FILES) copyFileSync(join(root, 'examples/package-consumer', f), join(consumer, f));
  run('npm install (tarball and peers)', 'npm', ['install', '--no-audit', '--no-fund'], consumer);

  // Compiled with the consumer's own TypeScript, then run: it synthesizes into cdktf.out/.
  run(
    'tsc (consumer)',
    process.execPath,
    [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', '.'],
    consumer,
  );
  run('entry points (consumer)', process.execPath, ['dist/entry-points.js'], consumer);
  run('synth (consumer)', process.execPath, ['dist/main.js'], consumer);
  // The policy rules ran in the consumer's stack: without DiagnosticsAspect its synth fails, naming it.
  const negative = spawnSync(process.execPath, ['dist/without-diagnostics.js'], {
    cwd: consumer,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  check(
    negative.status !== 0 && /\[policy diagnostics-aspect\][^\n]*DiagnosticsAspect/.test(negative.stderr),
    `a stack without DiagnosticsAspect did not fail the diagnostics-aspect rule (exit ${negative.status}): ${negative.stderr.slice(0, 400)}`,
  );
  const file = join(consumer, 'cdktf.out/stacks/team-rag/cdk.tf.json');
  check(existsSync(file), 'the consumer synthesized no cdktf.out/stacks/team-rag/cdk.tf.json');
  if (existsSync(file)) {
    const resource = JSON.parse(readFileSync(file, 'utf8')).resource ?? {};
    const count = (type) => Object.keys(resource[type] ?? {}).length;
    for (const [type, atLeast] of [
      ['azurerm_cognitive_account', 1],
      ['azurerm_cognitive_deployment', 2],
      ['azurerm_search_service', 1],
      ['azapi_data_plane_resource', 1],
      ['azurerm_api_management', 1],
      ['azurerm_monitor_metric_alert', 1],
      // the aspect from the package reached resources created by the package: one copy of constructs
      ['azurerm_monitor_diagnostic_setting', 4],
    ]) {
      check(count(type) >= atLeast, `synthesized ${count(type)} ${type}, expected at least ${atLeast}`);
    }
  }

  // One copy of constructs: two copies break instanceof and Aspects across the package boundary.
  // `npm ls --parseable` prints the directory of every installed copy; it exits non-zero on an invalid
  // or missing peer, which fails here too.
  const copies = [
    ...new Set(
      run('npm ls constructs', 'npm', ['ls', 'constructs', '--all', '--parseable'], consumer)
        .split('\n')
        .filter(Boolean),
    ),
  ];
  check(copies.length === 1, `the consumer has ${copies.length} copies of constructs: ${copies.join(', ')}`);

  if (problems.length > 0) {
    console.error(
      `test:package: ${problems.length} check(s) failed:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(
      `test:package: ${packed.filename} (${shipped.length} files) installs with its peers, compiles and synthesizes in a consumer; one copy of constructs`,
    );
  }
} finally {
  if (keep) console.log(`test:package: left ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
