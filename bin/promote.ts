#!/usr/bin/env node
/**
 * `npm run promote -- --decision <file> [--config <file>]`
 *
 * Writes the experiment weights the gate decided (`gate --experiment ... --decision <file>`) into the
 * environment config; the pipeline commits the change and opens a pull request. See docs/evaluation.md.
 */
import { runMain } from '../lib/cli/exit';
import { promoteMain } from '../lib/evaluation/promote';

runMain((argv) => promoteMain(argv));
