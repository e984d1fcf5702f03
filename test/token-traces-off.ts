/**
 * jest's setup: cdktf's tokens are created without capturing their creation stacks, as in the Azure
 * entries (lib/cli/token-traces.ts says why; under jest it was most of an environment's synth time). Runs
 * in each test file's module registry, so it reaches the cdktf the tests load.
 */
import { skipTokenCreationTraces } from '../lib/cli/token-traces';

skipTokenCreationTraces();
