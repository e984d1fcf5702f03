import { checkIndexLock } from '../search/lock';
import type { LoadedConfig } from './environment';
import { loadConfig } from './load';

/**
 * The config an app renders: the file (`LLMOPS_CONFIG` or config/environments.yaml) loaded and validated,
 * and its search index definitions checked against config/index-schema.lock.json, so a schema change the
 * search service cannot apply in place is refused before anything is written. Every entry that
 * synthesizes starts here (bin/main.ts, bin/synth.ts, bin/aws.ts).
 *
 * @throws ValidationError (exit 2) on a bad config or lock file; CheckFailedError (exit 1) on a breaking
 * index change
 */
export function loadCheckedConfig(): LoadedConfig {
  const config = loadConfig();
  checkIndexLock(config);
  return config;
}
