// Snapshots of `npm run spec` (jest.spec.config.js): a spec run alone keeps its snapshots out of the tree,
// under node_modules/.cache. The committed snapshots are its folder's (`__snapshots__/<folder>.test.ts.snap`,
// keys prefixed with the spec's name), which `npm test` checks; a spec alone cannot read those.
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'llmops-platform', 'spec-snapshots');

module.exports = {
  resolveSnapshotPath: (testPath, extension) => join(CACHE, `${relative(ROOT, testPath)}${extension}`),
  resolveTestPath: (snapshotPath, extension) =>
    join(ROOT, relative(CACHE, snapshotPath).slice(0, -extension.length)),
  testPathForConsistencyCheck: join(ROOT, 'test/policy/tls-minimum.spec.ts'),
};
