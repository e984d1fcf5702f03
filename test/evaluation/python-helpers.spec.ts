import { spawnSync } from 'node:child_process';

/**
 * The pure helpers of the reference evaluation scripts (no Azure SDK needed), run with the machine's
 * python3: batching, merging batch metrics, latency and token metrics, spreading queries over documents.
 */
function python(code: string): unknown {
  const r = spawnSync('python3', ['-c', `import sys, json; sys.path.insert(0, 'evaluation')\n${code}`], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

describe('evaluation scripts: pure helpers', () => {
  test('batches, batch metrics merged as row-weighted means, operational metrics, query spread, bad input', () => {
    // One python3 start for every check: the interpreter's start-up is most of the cost.
    const out = python(`
import _common as c, simulate as s
rows = [{"latency_ms": v, "prompt_tokens": 100 * v, "completion_tokens": float("nan") if v == 3 else 10} for v in range(1, 21)]
errors = []
for call in (lambda: c.batches([1], 0), lambda: c.parse_ai_project('{"project_name": "p"}')):
    try:
        call()
    except c.BadInput as e:
        errors.append(str(e))
print(json.dumps({
  "batches": [len(b) for b in c.batches(list(range(7)), 3)],
  "merged": c.merge_batch_metrics([
    {"metrics": {"violence.violence_defect_rate": 0.0, "groundedness.groundedness": 4.0}, "count": 3},
    {"metrics": {"violence.violence_defect_rate": 0.5, "groundedness.groundedness": float("nan")}, "count": 1},
  ]),
  "ops": c.operational_metrics(rows),
  "spread": s.spread(10, 4),
  "spreadFew": s.spread(2, 5),
  "project": c.parse_ai_project('{"subscription_id": "s", "resource_group_name": "g", "project_name": "p"}'),
  "errors": errors,
}))
`);
    expect(out).toEqual({
      batches: [3, 3, 1],
      // 3 rows at 0 and 1 row at 0.5; the NaN batch leaves groundedness to the batch that scored it
      merged: { 'groundedness.groundedness': 4, 'violence.violence_defect_rate': 0.125 },
      // nearest rank: p50 of 1..20 is 10, p95 is 19; the NaN completion is skipped
      ops: { latencyP50Ms: 10, latencyP95Ms: 19, promptTokensPerAnswer: 1050, completionTokensPerAnswer: 10 },
      spread: [3, 3, 2, 2],
      spreadFew: [1, 1],
      project: { subscription_id: 's', resource_group_name: 'g', project_name: 'p' },
      errors: [
        '--batch-size must be at least 1',
        '--azure-ai-project: a JSON object needs project_name, resource_group_name, subscription_id',
      ],
    });
  });
});
