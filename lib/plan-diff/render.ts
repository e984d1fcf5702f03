import type { AttributeChange, Finding, PlanDiffReport, ResourceChange, StackDiff } from './diff';
import { code, formatValue } from './format';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function findingLine(f: Finding): string {
  const type = f.resourceType === undefined ? '' : ` (${code(f.resourceType)})`;
  const where = f.address === '*' ? `${code(f.stack)}` : `${code(f.stack)} ${code(f.address)}${type}`;
  const was = f.previousAddress ? ` (was ${code(f.previousAddress)})` : '';
  const ack = f.acknowledged ? ' — **acknowledged with --allow**' : '';
  return `- ${where}${was}: ${f.message}${ack}`;
}

function headline(report: PlanDiffReport): string {
  const open = report.blocking.filter((f) => !f.acknowledged).length;
  const acknowledged = report.blocking.length - open;
  const notable = `${plural(report.notable.length, 'notable change')}.`;
  if (report.blocking.length === 0) return `**No blocking changes.** ${notable}`;
  if (open === 0)
    return `**All ${plural(acknowledged, 'blocking change')} acknowledged with --allow.** ${notable}`;
  const more = acknowledged > 0 ? ` (${acknowledged} more acknowledged with --allow)` : '';
  return `**${plural(open, 'blocking change')} to acknowledge**${more}. ${notable}`;
}

function attributeLine(a: AttributeChange): string {
  const note = a.forcesNew ? '   # forces replacement' : '';
  return `${a.path}: ${formatValue(a.before, a.sensitive)} -> ${formatValue(a.after, a.sensitive)}${note}`;
}

/** A CloudFormation change names its type after the logical ID; a Terraform address already holds it. */
const typeOf = (c: ResourceChange, format: PlanDiffReport['format']): string =>
  format === 'cloudformation' ? ` (${code(c.type)})` : '';

function resourceBlock(c: ResourceChange, format: PlanDiffReport['format']): string[] {
  const lines: string[] = [];
  const was = c.previousAddress ? ` (was ${code(c.previousAddress)})` : '';
  const why = c.replaceReasons.length > 0 ? `: ${c.replaceReasons.join('; ')}` : '';
  lines.push(`- ${code(c.address)}${typeOf(c, format)}${was}${why}`);
  if (c.attributes.length > 0) {
    lines.push('', '  ```text', ...c.attributes.map((a) => `  ${attributeLine(a)}`), '  ```', '');
  }
  return lines;
}

function details(summary: string, body: string[]): string[] {
  const trimmed = [...body];
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === '') trimmed.pop();
  return ['<details>', `<summary>${summary}</summary>`, '', ...trimmed, '', '</details>', ''];
}

const SECTIONS: readonly { action: ResourceChange['action']; title: string }[] = [
  { action: 'delete', title: 'Removed (destroyed)' },
  { action: 'replace', title: 'Replaced (destroyed and created)' },
  { action: 'update', title: 'Changed in place' },
  { action: 'move', title: 'Moved (<code>moved</code> block, not destroyed)' },
  { action: 'create', title: 'Added' },
];

function stackSection(stack: StackDiff, format: PlanDiffReport['format']): string[] {
  const status =
    stack.status === 'added'
      ? ' (new stack)'
      : stack.status === 'removed'
        ? ' (stack removed: everything in it is destroyed)'
        : '';
  const lines = [`### Stack ${code(stack.name)}${status}`, ''];
  if (stack.changes.length === 0 && stack.dataSourceChanges.length === 0)
    return [...lines, 'No changes.', ''];
  for (const { action, title } of SECTIONS) {
    const changes = stack.changes.filter((c) => c.action === action);
    if (changes.length === 0) continue;
    const body =
      action === 'create' || action === 'delete'
        ? changes.map((c) => `- ${code(c.address)}${typeOf(c, format)}`)
        : changes.flatMap((c) => resourceBlock(c, format));
    lines.push(...details(`${title} (${changes.length})`, body));
  }
  if (stack.dataSourceChanges.length > 0) {
    const body = stack.dataSourceChanges.flatMap((c) =>
      c.action === 'update'
        ? resourceBlock(c, format)
        : [`- ${code(c.address)} ${c.action === 'create' ? 'added' : 'removed'}`],
    );
    lines.push(...details(`Data sources, read only (${stack.dataSourceChanges.length})`, body));
  }
  return lines;
}

const FOOTER: Readonly<Record<PlanDiffReport['format'], readonly string[]>> = {
  cdktf: [
    '<sub>Compared synthesized `cdk.tf.json` without provider plugins: replacements are inferred from addresses,',
    '`moved` blocks and the force-new arguments documented by the providers. `terraform plan` remains the',
    'authority.</sub>',
  ],
  cloudformation: [
    '<sub>Compared synthesized CloudFormation templates (`cdk.out`) without a change set: replacements are inferred',
    'from logical IDs and the properties the CloudFormation reference marks "Update requires: Replacement".',
    '`cdk diff` (a change set) remains the authority.</sub>',
  ],
};

/**
 * Renders a {@link PlanDiffReport} as Markdown for a pull request comment or `GITHUB_STEP_SUMMARY`:
 * the verdict, the blocking and notable lists, a summary table with one row per stack, then per stack
 * the changes in collapsible `<details>` blocks with attribute-level `path: old -> new` lines.
 * Secrets print as `(sensitive)`. Deterministic: the same report always renders the same text.
 */
export function renderMarkdown(report: PlanDiffReport): string {
  const lines: string[] = ['## Infrastructure plan diff', '', headline(report), ''];
  lines.push('### Blocking', '');
  lines.push(...(report.blocking.length > 0 ? report.blocking.map(findingLine) : ['None.']), '');
  if (report.blocking.some((f) => !f.acknowledged)) {
    lines.push(
      'Blocking changes destroy data or weaken security. After review, acknowledge each with',
      '`--allow <address>` (or `--allow <stack>:<address>`, `--allow <stack>:*`).',
      '',
    );
  }
  if (report.unusedAllows.length > 0) {
    lines.push(
      `Unused --allow (matched no blocking change): ${report.unusedAllows.map(code).join(', ')}`,
      '',
    );
  }
  lines.push('### Notable', '');
  lines.push(...(report.notable.length > 0 ? report.notable.map(findingLine) : ['None.']), '');
  lines.push('### Summary', '');
  lines.push('| Stack | Added | Changed | Replaced | Moved | Removed |', '|---|---:|---:|---:|---:|---:|');
  for (const s of report.stacks) {
    const status = s.status === 'added' ? ' (new)' : s.status === 'removed' ? ' (removed)' : '';
    const c = s.counts;
    lines.push(
      `| ${code(s.name)}${status} | ${c.added} | ${c.changed} | ${c.replaced} | ${c.moved} | ${c.removed} |`,
    );
  }
  lines.push('');
  for (const stack of report.stacks) lines.push(...stackSection(stack, report.format));
  lines.push(...FOOTER[report.format], '');
  return lines.join('\n');
}
