// The jest config Stryker runs (stryker.config.json), never `npm test`. Two differences from jest.config.js:
// - `roots` takes in the sources, not only test/: jest's dependency graph (which Stryker's jest runner uses
//   to pick the tests related to a mutated file) holds only files under `roots`, so with test/ alone a test
//   that reaches a mutated file through another module is never run against its mutants.
// - only the tests of the mutated modules run: Stryker runs the whole set for every static mutant (a
//   module-level list entry), so whole-environment synths here would cost minutes per mutant.
const base = require('./jest.config');

/** The tests that exercise the mutated modules (each mutated file's own tests are among them). */
const MUTATION_TESTS = [
  'test/plan-diff/**/*.test.ts',
  'test/policy/**/*.test.ts',
  'test/evaluation/gate*.test.ts',
  'test/core/**/*.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test', '<rootDir>/lib', '<rootDir>/constructs'],
  testMatch: MUTATION_TESTS.map((glob) => `<rootDir>/${glob}`),
};
