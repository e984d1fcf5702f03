import { specsOf } from '../helpers/suite';

// Every *.spec.ts below this folder, in one jest test file (test/helpers/suite.ts says why).
specsOf(__dirname);
