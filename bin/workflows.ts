#!/usr/bin/env node
/**
 * `npm run workflows [-- --check] [-- --config <file>] [-- --out <dir>]`
 *
 * Generates the GitHub Actions workflows in `.github/workflows/` from the environment config (honours
 * `LLMOPS_CONFIG`) and lints them with actionlint. `--check` writes nothing and exits 1 when the committed
 * files are stale. Exit 0 done, 1 lint findings or stale files, 2 bad config. See docs/pipeline.md.
 */
import { runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { workflowsMain } from '../lib/workflows/cli';

runMain((argv) => workflowsMain(argv, { loadConfig }));
