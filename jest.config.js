/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  // aws-cdk-lib's built-in CloudFormation validation is off in unit tests (see the file).
  setupFiles: ['<rootDir>/test/aws-validation-off.ts', '<rootDir>/test/token-traces-off.ts'],
  // python3 without a version manager's shim in front of it (see the file).
  globalSetup: '<rootDir>/test/python-path.ts',
  moduleFileExtensions: ['ts', 'js', 'json'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  // Synthesizing stacks is CPU-bound; two workers match the 2-core machines this runs on.
  maxWorkers: 2,
  // A worker leaves nothing open (no handle, timer, socket or child process is active after its last test
  // file, and --detectOpenHandles finds none), so it exits by itself when jest ends it. What takes time is
  // the exit: freeing a worker's 300-400 MB V8 heap page by page costs 150-250 ms of CPU, more than jest's
  // default 500 ms of wall time when both cores are busy, and jest then kills the worker ("A worker process
  // has failed to exit gracefully"). A real leak still shows that message, after this timeout.
  workerGracefulExitTimeout: 5_000,
};
