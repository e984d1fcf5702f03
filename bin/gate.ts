#!/usr/bin/env node
/**
 * `npm run gate -- --env <env> --scores <file> [--summary <file>] [--config <file>]`
 *
 * The release gate: compares an evaluation run's scores with the environment's thresholds. Exit 0 pass,
 * 1 a required metric failed or is missing, 2 bad input. See docs/evaluation.md.
 */
import { runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { gateMain } from '../lib/evaluation/gate-cli';

runMain((argv) => gateMain(argv, { loadConfig }));
