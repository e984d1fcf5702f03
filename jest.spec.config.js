// `npm run spec -- <file.spec.ts>...`: runs specs as test files of their own (the main config runs one file per
// test folder, test/helpers/suite.ts). Their snapshots go to node_modules/.cache (test/spec-snapshots.js):
// the committed ones belong to the folders' test files and are checked by `npm test`.
/** @type {import('jest').Config} */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['**/*.spec.ts'],
  snapshotResolver: '<rootDir>/test/spec-snapshots.js',
  // The committed snapshot files are the folders' own: out of this run's sight, so that `-u` here never
  // takes them for obsolete and removes them.
  modulePathIgnorePatterns: ['/__snapshots__/'],
};
