#!/usr/bin/env node
/**
 * `npm run index:lock [-- --env <env>]... [--accept-breaking] [--lock <file>]`
 *
 * Records the search index schemas of every environment (or of each `--env`) in
 * `config/index-schema.lock.json`; run it after the indexes are deployed and commit the file. Synth
 * compares each index with its entry. Exit 0 written, 1 it would record a change Azure cannot apply in
 * place (publish a new index version instead), 2 bad input. See constructs/search/README.md.
 */
import { runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { indexLockMain } from '../lib/search/lock';

runMain((argv) => indexLockMain(argv, { loadConfig: () => loadConfig() }));
