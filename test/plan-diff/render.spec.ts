import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffOutputs } from '../../lib/plan-diff/diff';
import { formatValue } from '../../lib/plan-diff/format';
import { renderMarkdown } from '../../lib/plan-diff/render';
import { loadSynthOutput } from '../../lib/plan-diff/synth-output';
import { diffDev } from './helpers';

const SAMPLE = path.join(__dirname, '..', 'fixtures', 'plan-diff', 'sample');

function sampleMarkdown(allow: string[] = []): string {
  const base = loadSynthOutput(path.join(SAMPLE, 'base'));
  const head = loadSynthOutput(path.join(SAMPLE, 'head'));
  return renderMarkdown(diffOutputs(base, head, { allow }));
}

describe('renderMarkdown', () => {
  test('puts the Blocking and Notable lists first, then the summary table, then per-stack details', () => {
    // GIVEN the sample: key vault network rules opened, search SKU change, storage moved, weights, alert
    // WHEN rendered with the search replacement acknowledged
    const md = sampleMarkdown(['azurerm_search_service.Search']);
    // THEN the sections come in reading order
    const order = ['### Blocking', '### Notable', '### Summary', '### Stack `dev`', '### Stack `prod`'].map(
      (h) => md.indexOf(h),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // the acknowledged change says so; the open one does not
    expect(md).toContain(
      '- `dev` `azurerm_search_service.Search`: stateful `azurerm_search_service` replaced (destroyed and created): `sku` changed (forces a new resource) — **acknowledged with --allow**',
    );
    expect(md).toContain(
      '- `dev` `azurerm_key_vault.Kv`: network rules opened (default action): `network_acls[0].default_action`: `"Deny"` -> `"Allow"`\n',
    );
    // one summary row per stack
    expect(md).toContain('| `dev` | 1 | 5 | 1 | 1 | 1 |');
    expect(md).toContain('| `prod` | 0 | 0 | 0 | 0 | 0 |');
    // attribute-level changes, force-new marked, inside <details>
    expect(md).toContain('  sku: "basic" -> "standard"   # forces replacement');
    expect(md).toContain('<summary>Moved (<code>moved</code> block, not destroyed) (1)</summary>');
    // secrets masked
    expect(md).toContain('body.properties.credentials.header.api-key: (sensitive) -> (sensitive)');
    expect(md).not.toContain('aoai-swe-key');
  });

  test('says so when nothing is blocking', () => {
    const md = renderMarkdown(diffDev({}, {}));
    expect(md).toContain('**No blocking changes.** 0 notable changes.');
    expect(md).toContain('### Blocking\n\nNone.');
  });

  test('is deterministic and holds no absolute path', () => {
    expect(sampleMarkdown()).toBe(sampleMarkdown());
    expect(sampleMarkdown()).not.toContain(SAMPLE);
  });

  test('sample output (docs/plan-diff.md shows it)', () => {
    const md = sampleMarkdown(['azurerm_search_service.Search']);
    expect(md).toContain('**1 blocking change to acknowledge** (1 more acknowledged with --allow).');
    expect(md).toMatchSnapshot();
  });

  test('docs/plan-diff.md shows the current sample output', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'plan-diff.md'), 'utf8');
    expect(docs).toContain(
      `\`\`\`\`markdown\n${sampleMarkdown(['azurerm_search_service.Search'])}\`\`\`\`\n`,
    );
  });
});

describe('formatValue', () => {
  test('masks sensitive strings and structures but shows booleans and numbers', () => {
    expect(formatValue('s3cr3t', true)).toBe('(sensitive)');
    expect(formatValue(['a'], true)).toBe('(sensitive)');
    expect(formatValue(true, true)).toBe('true');
    expect(formatValue(3, true)).toBe('3');
    expect(formatValue(undefined, true)).toBe('(absent)');
  });

  test('cuts long values, showing their length, and escapes backticks', () => {
    const long = formatValue('x'.repeat(500));
    expect(long).toHaveLength(100 + '… (502 chars)'.length);
    expect(long.endsWith('… (502 chars)')).toBe(true);
    expect(formatValue('a`b')).toBe('"a\\u0060b"');
  });
});
