#!/usr/bin/env node
/**
 * `npm run synth:compare -- --base <cdktf.out> --head <cdktf.out>`
 *
 * Checks that a refactor left the synthesized output unchanged (metadata aside). See CONTRIBUTING.md.
 */
import { runMain } from '../lib/cli/exit';
import { synthCompareMain } from '../lib/synth-compare/compare';

runMain((argv) => synthCompareMain(argv));
