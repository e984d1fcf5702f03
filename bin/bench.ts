#!/usr/bin/env node
/**
 * `npm run bench [-- --runs N] [--skip-tests] [--output FILE]`
 *
 * Wall time and peak memory of the main job and its parts, written to BENCHMARKS.md (default 5 runs
 * each, median reported): the floor (node loading cdktf alone), the compiled app alone, warm
 * `npm run synth`, synth of 10 and 30 generated environments (the cost per synthesized resource) and one
 * `npm test`. Peak memory is the largest resident set of any process in the command's tree. Honours
 * `LLMOPS_CONFIG`. Takes minutes. See lib/bench/.
 */
import { benchMain } from '../lib/bench/cli';
import { runMain } from '../lib/cli/exit';

runMain((argv) => benchMain(argv));
