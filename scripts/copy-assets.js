#!/usr/bin/env node
// Copies the plain-JavaScript assets that constructs ship as files (not imported, so tsc does not emit them)
// into dist/ beside the compiled constructs: the gateway's router Lambda code, which `Code.fromAsset` reads
// from the construct's own folder. Type declarations written for the tests stay out of the Lambda asset.
const { cpSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
/** Folders, relative to the repository, copied as they are into dist/. */
const ASSET_DIRS = ['constructs/aws/gateway/router'];

for (const dir of ASSET_DIRS) {
  const target = join(root, 'dist', dir);
  rmSync(target, { recursive: true, force: true });
  cpSync(join(root, dir), target, { recursive: true, filter: (source) => !source.endsWith('.d.ts') });
}

module.exports = { ASSET_DIRS };
