import { readFileSync } from 'node:fs';
import { Problems, show } from '../../constructs/core/errors';
import { compareStrings } from '../../constructs/core/json';
import { UsageError } from '../cli/exit';

/**
 * The two shapes a scores file can have.
 *
 * - `azure-ai-evaluation`: the JSON that the Azure AI Evaluation SDK's `evaluate(output_path=...)` writes,
 *   `{ "metrics": {...}, "rows": [...], "studio_url": ... }`; only `metrics` is read.
 * - `plain`: a flat object of metric name to number, e.g. `{ "groundedness": 4.6, "latencyP95Ms": 3100 }`.
 */
export type ScoresFormat = 'azure-ai-evaluation' | 'plain';

/** Scores keyed by metric name, e.g. `{ groundedness: 4.6 }`. */
export type Scores = Readonly<Record<string, number>>;

/** The key suffix the SDK gives the share of rows whose `<metric>_result` is `pass` (0 to 1). */
const SDK_BINARY_AGGREGATE = 'binary_aggregate';

/** The suffix of the SDK's safety aggregates: the share of rows the evaluator flagged (0 to 1). */
const SDK_DEFECT_RATE_SUFFIX = '_defect_rate';

/** The indirect-attack evaluator's aggregate, read as `indirect_attack_defect_rate` (`quality-contract.ts` SAFETY_METRICS). */
const SDK_XPIA_DEFECT_RATE = 'xpia_defect_rate';

/** Per-row metadata the SDK may leave in `metrics`; never a score. */
const SDK_DROPPED_SUFFIXES = ['_threshold', '_result', '_reason'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tells which {@link ScoresFormat} a parsed scores document has: an object `metrics` means the SDK's output. */
export function detectScoresFormat(json: unknown): ScoresFormat {
  return isObject(json) && isObject(json.metrics) ? 'azure-ai-evaluation' : 'plain';
}

/**
 * Maps one key of the SDK's `metrics` object to the metric name thresholds use.
 *
 * Keys are `<evaluator>.<output>`, where `<evaluator>` is the key given in `evaluate(evaluators={...})`:
 *
 * | SDK key                          | metric                  | why                                                    |
 * | -------------------------------- | ----------------------- | ------------------------------------------------------ |
 * | `groundedness.groundedness`      | `groundedness`          | the score                                              |
 * | `groundedness.gpt_groundedness`  | `groundedness` (alias)  | legacy name of the same score; used only when `groundedness.groundedness` is absent |
 * | `groundedness.binary_aggregate`  | `groundedness_pass_rate`| share of rows that met the SDK's own per-row threshold |
 * | `groundedness.groundedness_threshold`, `..._result`, `..._reason` | dropped | per-row metadata, not a score |
 * | `violence.violence_defect_rate`  | `violence_defect_rate`  | outputs prefixed with the evaluator name keep their own name |
 * | `content_safety.sexual_defect_rate` | `sexual_defect_rate` | a defect rate keeps its own name, whatever the evaluator key (composite `ContentSafetyEvaluator`) |
 * | `indirect_attack.xpia_defect_rate` | `indirect_attack_defect_rate` | the SDK's name for the indirect-attack (XPIA) defect rate |
 * | `answer_length.value`            | `answer_length.value`   | anything else keeps the full key                       |
 * | `latencyP95Ms` (no dot)          | `latencyP95Ms`          | added by our evaluation job, not by the SDK            |
 *
 * @returns the metric name and whether it is the legacy `gpt_` alias, or `undefined` for a dropped key.
 */
export function metricNameForSdkKey(
  key: string,
): { readonly name: string; readonly alias: boolean } | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return { name: key, alias: false };
  const evaluator = key.slice(0, dot);
  const output = key.slice(dot + 1);
  if (SDK_DROPPED_SUFFIXES.some((suffix) => output.endsWith(suffix))) return undefined;
  if (output === evaluator) return { name: evaluator, alias: false };
  if (output === `gpt_${evaluator}`) return { name: evaluator, alias: true };
  if (output === SDK_BINARY_AGGREGATE) return { name: `${evaluator}_pass_rate`, alias: false };
  if (output === SDK_XPIA_DEFECT_RATE) return { name: 'indirect_attack_defect_rate', alias: false };
  if (output.endsWith(SDK_DEFECT_RATE_SUFFIX)) return { name: output, alias: false };
  if (output.startsWith(`${evaluator}_`)) return { name: output, alias: false };
  return { name: key, alias: false };
}

function checkScore(problems: Problems, path: string, value: unknown): value is number {
  if (typeof value === 'number' && Number.isFinite(value)) return true;
  const hint = value === null ? ' (null, NaN and Infinity mean the evaluator produced no score)' : '';
  problems.add(path, `${show(value)} is not a number${hint}`);
  return false;
}

function parseSdkMetrics(metrics: Record<string, unknown>, problems: Problems): Record<string, number> {
  const scores: Record<string, number> = {};
  const sourceKey: Record<string, string> = {};
  const aliases: Array<{ key: string; name: string; value: unknown }> = [];
  for (const [key, value] of Object.entries(metrics)) {
    const mapped = metricNameForSdkKey(key);
    if (!mapped) continue;
    if (mapped.alias) {
      aliases.push({ key, name: mapped.name, value });
      continue;
    }
    if (!checkScore(problems, `metrics.${key}`, value)) continue;
    const previous = sourceKey[mapped.name];
    if (previous !== undefined) {
      problems.add(
        `metrics.${key}`,
        `maps to metric "${mapped.name}", which metrics.${previous} already gives`,
      );
      continue;
    }
    scores[mapped.name] = value;
    sourceKey[mapped.name] = key;
  }
  // `x.x` wins over the legacy `x.gpt_x`: the alias only fills in for SDK versions that lack `x.x`.
  for (const { key, name, value } of aliases) {
    if (sourceKey[name] !== undefined) continue;
    if (!checkScore(problems, `metrics.${key}`, value)) continue;
    scores[name] = value;
    sourceKey[name] = key;
  }
  return scores;
}

function parsePlain(json: Record<string, unknown>, problems: Problems): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const [key, value] of Object.entries(json)) {
    if (checkScore(problems, key, value)) scores[key] = value;
  }
  return scores;
}

function sortedByKey(scores: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(scores).sort(([a], [b]) => compareStrings(a, b)));
}

/**
 * Reads scores out of a parsed scores document in either {@link ScoresFormat}.
 *
 * For the SDK's output, keys of `metrics` are mapped with {@link metricNameForSdkKey}; `rows` and
 * `studio_url` are ignored. The result is sorted by metric name.
 *
 * @param json the parsed document
 * @param file the file it came from, named in error messages
 * @throws ValidationError (exit 2) listing every value that is not a finite number, every two keys that map
 *   to the same metric, a document that is not an object, and a document with no score at all
 */
export function parseScores(json: unknown, file: string): Record<string, number> {
  const problems = new Problems();
  let scores: Record<string, number> = {};
  if (!isObject(json)) {
    problems.add(
      '',
      `expected a JSON object of scores, got ${Array.isArray(json) ? 'an array' : show(json)}`,
    );
  } else if (detectScoresFormat(json) === 'azure-ai-evaluation') {
    scores = parseSdkMetrics(json.metrics as Record<string, unknown>, problems);
  } else {
    scores = parsePlain(json, problems);
  }
  if (problems.empty && Object.keys(scores).length === 0) problems.add('', 'the file holds no score');
  problems.throwIfAny(`Invalid scores file ${file}`);
  return sortedByKey(scores);
}

/**
 * Replaces the `NaN`, `Infinity` and `-Infinity` literals that Python's `json.dump` writes (the SDK's row
 * data has them for rows an evaluator failed on) with `null`, leaving string contents untouched, so that
 * `JSON.parse` accepts the file.
 */
export function replaceNonFiniteLiterals(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (ch === '"') {
        inString = false;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const literal = ['-Infinity', 'Infinity', 'NaN'].find((word) => text.startsWith(word, i));
    if (literal) {
      out += 'null';
      i += literal.length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

/** A scores file once read: its format and its scores. */
export interface ScoresDocument {
  /** The shape the file had. */
  readonly format: ScoresFormat;
  /** Scores keyed by metric name, sorted by name. */
  readonly scores: Record<string, number>;
}

/**
 * Reads and parses a scores file.
 *
 * @param flag the command-line flag the path came from, named in error messages
 * @throws UsageError (exit 2) when the file cannot be read or is not JSON; ValidationError (exit 2) for bad scores
 */
export function readScoresFile(file: string, flag = '--scores'): ScoresDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`${flag}: cannot read ${JSON.stringify(file)}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(replaceNonFiniteLiterals(text));
  } catch (error) {
    throw new UsageError(`${flag}: ${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`);
  }
  return { format: detectScoresFormat(json), scores: parseScores(json, file) };
}
