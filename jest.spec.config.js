// `npm run spec -- <file.spec.ts>...`: runs specs as test files of their own (the main config runs one file per
// test folder, test/helpers/suite.ts).
/** @type {import('jest').Config} */
module.exports = { ...require('./jest.config.js'), testMatch: ['**/*.spec.ts'] };
