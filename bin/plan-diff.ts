#!/usr/bin/env node
/**
 * `npm run plan:diff -- --base <cdktf.out|cdk.out> --head <cdktf.out|cdk.out> [--allow <address>]... [--output <file>]`
 *
 * Reviews the infrastructure change of a pull request from two synth outputs. See docs/plan-diff.md.
 */
import { runMain } from '../lib/cli/exit';
import { planDiffMain } from '../lib/plan-diff/cli';

runMain((argv) => planDiffMain(argv));
