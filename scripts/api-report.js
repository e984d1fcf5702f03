#!/usr/bin/env node
/**
 * `npm run api`: the public API of each entry point of the package (`package.json` `exports`, one per
 * construct folder, the AWS ones included) as an api-extractor report, `api/<entry>.api.md` (a nested
 * entry point's slashes become hyphens: `api/aws-gateway.api.md`), from the compiled declarations.
 * api-extractor analyses TypeScript 7's declarations with its own bundled TypeScript; `@default` is
 * declared in `tsdoc.json`. `npm run api -- --check` writes nothing and exits 1 when a committed report
 * differs from the current API, so a pull request that changes the public surface shows it.
 * Exit codes: 0 up to date (or written), 1 a report is stale or the analysis failed, 2 bad usage.
 */

const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  console.error(`api: unknown argument ${JSON.stringify(unknown[0])}; allowed: --check`);
  process.exit(2);
}

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  { cwd: root, encoding: 'utf8' },
);
if (build.status !== 0) {
  console.error(`api: the build failed\n${build.stdout}${build.stderr}`);
  process.exit(1);
}

const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = Object.entries(pkg.exports)
  .filter(([key, target]) => typeof target === 'object' && !key.includes('*'))
  // `./constructs/aws/gateway` -> `aws-gateway`: one flat folder of reports, `api/aws-gateway.api.md`.
  .map(([key, target]) => ({
    name: key.replace(/^\.\/constructs\//, '').replaceAll('/', '-'),
    types: join(root, target.types),
  }));

const reports = join(root, 'api');
if (!check) mkdirSync(reports, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'llmops-api-'));
const stale = [];
const failed = [];
try {
  for (const entry of entries) {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: root,
        mainEntryPointFilePath: entry.types,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'es2022',
              module: 'nodenext',
              moduleResolution: 'nodenext',
              strict: true,
              skipLibCheck: true,
              types: ['node'],
            },
            files: [entry.types],
          },
        },
        apiReport: {
          enabled: true,
          reportFolder: reports,
          reportTempFolder: scratch,
          reportFileName: `${entry.name}.api.md`,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        // The report is the product: release tags, documentation gaps and types exported by another
        // entry point (`IPrincipal` from core, ...) are not errors of this package's surface.
        messages: {
          compilerMessageReporting: { default: { logLevel: 'error' } },
          extractorMessageReporting: { default: { logLevel: 'none' } },
          tsdocMessageReporting: { default: { logLevel: 'none' } },
        },
      },
      configObjectFullPath: join(root, 'api-extractor.json'),
      packageJsonFullPath: join(root, 'package.json'),
    });
    const result = Extractor.invoke(config, {
      localBuild: !check,
      messageCallback: (message) => {
        if (message.logLevel !== 'error') message.handled = true;
      },
    });
    if (!result.succeeded && !(check && result.apiReportChanged && result.errorCount === 0)) {
      failed.push(`${entry.name}: ${result.errorCount} error(s)`);
    }
    const file = join(reports, `${entry.name}.api.md`);
    if (check && (result.apiReportChanged || !existsSync(file))) stale.push(`api/${entry.name}.api.md`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failed.length > 0) {
  console.error(`api: the analysis failed for ${failed.join('; ')}`);
  process.exit(1);
}
if (stale.length > 0) {
  console.error(
    `api: the public API changed; run npm run api and commit the reports (review them as API changes): ${stale.join(', ')}`,
  );
  process.exit(1);
}
console.log(
  check
    ? `api: ${entries.length} reports up to date (api/)`
    : `api: wrote ${entries.length} reports to api/ (${entries.map((e) => e.name).join(', ')})`,
);
