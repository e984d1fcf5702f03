#!/usr/bin/env node
/**
 * `npm run test:package`: the constructs as a consumer gets them. Builds, packs the package with
 * `npm pack`, installs the tarball into an empty temporary project with only the peer dependencies (at
 * the versions this repository tests; the optional ones, `@cdktf/provider-azurerm`, `aws-cdk-lib` and
 * `cdk-nag`, included), compiles `examples/package-consumer/` there with the consumer's own `tsc` and runs
 * it: `main.ts` (a plain `TerraformStack` composing a model account, a search service and index, the
 * gateway, baseline alerts, the diagnostics aspect and the policy rules, so synth fails on a policy
 * finding) and `aws.ts` (a plain aws-cdk-lib `Stack` with two Bedrock models, a guardrail and a vector
 * collection under the AWS policy), and checks what they synthesized, that a stack breaking a policy rule
 * fails on each cloud, that the tarball ships only the compiled constructs, and that the consumer has one
 * copy of `constructs` and of `aws-cdk-lib`.
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
/**
 * The consumer's sources (examples/package-consumer/): the README's stack, every entry point, a failing
 * stack; the AWS stack of docs/aws.md and a failing AWS stack.
 */
const CONSUMER_FILES = [
  'main.ts',
  'entry-points.ts',
  'without-diagnostics.ts',
  'aws.ts',
  'aws-unversioned-bucket.ts',
];
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

  // An empty project with the tarball and every peer dependency (optional ones too: the consumer uses
  // both clouds) at the versions tested here.
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
  // The AWS consumer: synthesizes a CloudFormation template into cdk.out/ under the AWS policy (cdk-nag's
  // AwsSolutions pack and the own rules, from the consumer's cdk-nag and aws-cdk-lib).
  run('synth AWS (consumer)', process.execPath, ['dist/aws.js'], consumer);
  const template = join(consumer, 'cdk.out/team-rag-aws.template.json');
  check(existsSync(template), 'the AWS consumer synthesized no cdk.out/team-rag-aws.template.json');
  if (existsSync(template)) {
    const resources = Object.values(JSON.parse(readFileSync(template, 'utf8')).Resources ?? {});
    const count = (type) => resources.filter((r) => r.Type === type).length;
    for (const [type, atLeast] of [
      ['AWS::Bedrock::ApplicationInferenceProfile', 2],
      ['AWS::Bedrock::Guardrail', 1],
      ['AWS::Bedrock::GuardrailVersion', 1],
      ['AWS::OpenSearchServerless::Collection', 1],
      ['AWS::OpenSearchServerless::AccessPolicy', 1],
      ['AWS::IAM::Policy', 1],
    ]) {
      check(
        count(type) >= atLeast,
        `the AWS consumer synthesized ${count(type)} ${type}, expected at least ${atLeast}`,
      );
    }
  }
  // The AWS policy ran in the consumer's app: a bucket without versioning fails the own rule and cdk-nag.
  const awsNegative = spawnSync(process.execPath, ['dist/aws-unversioned-bucket.js'], {
    cwd: consumer,
    encoding: 'utf8',
  });
  const awsReport = `${awsNegative.stdout}${awsNegative.stderr}`;
  check(
    awsNegative.status !== 0 &&
      /\[LLMOPS-AWS-S3-VERSIONED\] unversioned-bucket\/Documents/.test(awsReport) &&
      /AwsSolutions-S10/.test(awsReport),
    `a bucket without versioning did not fail LLMOPS-AWS-S3-VERSIONED and cdk-nag's AwsSolutions (exit ${awsNegative.status}): ${awsReport.slice(0, 400)}`,
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
  // And one copy of aws-cdk-lib: cdk-nag (a peer) and the package's AWS constructs share the consumer's.
  const awsCopies = [
    ...new Set(
      run('npm ls aws-cdk-lib', 'npm', ['ls', 'aws-cdk-lib', '--all', '--parseable'], consumer)
        .split('\n')
        .filter(Boolean),
    ),
  ];
  check(
    awsCopies.length === 1,
    `the consumer has ${awsCopies.length} copies of aws-cdk-lib: ${awsCopies.join(', ')}`,
  );

  if (problems.length > 0) {
    console.error(
      `test:package: ${problems.length} check(s) failed:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    process.exitCode = 1;
  } else {
    console.log(
      `test:package: ${packed.filename} (${shipped.length} files) installs with its peers, compiles and synthesizes in a consumer (cdktf and aws-cdk-lib); one copy of constructs and of aws-cdk-lib`,
    );
  }
} finally {
  if (keep) console.log(`test:package: left ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
