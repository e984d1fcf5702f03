/**
 * jest's setup: tokens are created without formatting their creation stacks, as in the Azure entries
 * (lib/cli/token-traces.ts says why; under jest it is most of an environment's synth time).
 */
import { skipTokenCreationTraces } from '../lib/cli/token-traces';

skipTokenCreationTraces();
