import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import { BASELINE_ALERTS } from '../../constructs/monitoring/baseline-catalog';
import { readBaselineCatalog } from '../../constructs/monitoring/baseline-catalog-schema';

const DATA_FILE = join(__dirname, '..', '..', 'constructs', 'monitoring', 'data', 'baseline-catalog.json');

/** A fresh, mutable copy of the shipped data file, as JSON.parse reads it. */
// biome-ignore lint/suspicious/noExplicitAny: the tests break the file on purpose, field by field
function dataFile(): any {
  return JSON.parse(readFileSync(DATA_FILE, 'utf8'));
}

/** The problems `readBaselineCatalog` reports for `data`, as `path: message` lines. */
function problemsOf(data: unknown): string[] {
  try {
    readBaselineCatalog(data);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('data/baseline-catalog.json', () => {
  test('satisfies the schema', () => {
    // GIVEN the file as shipped
    const data = dataFile();
    // WHEN it is read against the schema
    const catalog = readBaselineCatalog(data);
    // THEN every entry is kept, in order
    expect(Object.values(catalog.alerts).flat().length).toBeGreaterThan(40);
    expect(catalog.alerts.azurerm_search_service.map((a) => a.key)).toEqual(
      data.alerts.azurerm_search_service.map((a: { key: string }) => a.key),
    );
  });

  test('is what the catalog module serves', () => {
    expect(BASELINE_ALERTS).toEqual(dataFile().alerts);
  });

  test('AI Foundry project alerts are the hub run and deployment alerts, renamed for the project', () => {
    // GIVEN the project alerts and the hub alerts
    const { azurerm_ai_foundry: hub, azurerm_ai_foundry_project: project } = BASELINE_ALERTS;
    for (const alert of project) {
      // WHEN looking up the hub alert it was copied from
      const origin = hub.find((h) => h.key === alert.key.replace(/^project-/, 'foundry-'));
      // THEN only the names and the note differ
      expect(origin).toBeDefined();
      const strip = ({ key: _k, displayName: _d, description: _desc, source, ...rest }: typeof alert) => ({
        ...rest,
        origin: source.origin,
        reference: source.reference,
      });
      expect(strip(alert)).toEqual(strip(origin!));
    }
    expect(project.map((a) => a.key)).toEqual([
      'project-model-deploy-failed',
      'project-failed-runs',
      'project-not-responding-runs',
    ]);
  });
});

describe('readBaselineCatalog', () => {
  test('fails when an aggregation is not one azurerm accepts', () => {
    const data = dataFile();
    data.alerts.azurerm_search_service[0].aggregation = 'Median';
    const [problem] = problemsOf(data);
    expect(problem).toMatch(/^alerts\.azurerm_search_service\[0\]\.aggregation: "Median": /);
    expect(problem).toContain('"Average"|"Count"|"Minimum"|"Maximum"|"Total"');
  });

  test('fails when a metric namespace has no supported-metrics table', () => {
    const data = dataFile();
    data.alerts.azurerm_key_vault[0].metricNamespace = 'Microsoft.KeyVault/managedHSMs';
    expect(problemsOf(data)).toEqual([
      expect.stringMatching(
        /^alerts\.azurerm_key_vault\[0\]\.metricNamespace: "Microsoft.KeyVault\/managedHSMs": .*Microsoft.KeyVault\/vaults/,
      ),
    ]);
  });

  test('fails when a field is unknown', () => {
    const data = dataFile();
    data.alerts.azurerm_key_vault[0].treshold = 5;
    expect(problemsOf(data)).toEqual([
      expect.stringMatching(/^alerts\.azurerm_key_vault\[0\]: .*"treshold"/),
    ]);
  });

  test('fails when a resource type of the catalog has no entry', () => {
    const data = dataFile();
    delete data.alerts.azurerm_private_dns_zone;
    expect(problemsOf(data)).toEqual([
      expect.stringMatching(/^alerts\.azurerm_private_dns_zone: .*expected array, received undefined/),
    ]);
  });

  test('fails when the frequency is longer than the window', () => {
    const data = dataFile();
    Object.assign(data.alerts.azurerm_search_service[0], { windowSize: 'PT5M', frequency: 'PT15M' });
    expect(problemsOf(data)).toEqual([
      'alerts.azurerm_search_service[0].frequency: "PT15M" is longer than windowSize "PT5M" (allowed: at most the window)',
    ]);
  });

  test('fails when an adapted alert does not say what changed', () => {
    const data = dataFile();
    const index = data.alerts.azurerm_cognitive_account.findIndex(
      (a: { source: { origin: string } }) => a.source.origin === 'amba-adapted',
    );
    delete data.alerts.azurerm_cognitive_account[index].source.note;
    expect(problemsOf(data)).toEqual([
      `alerts.azurerm_cognitive_account[${index}].source.note: is required when origin is "amba-adapted" (say what changed and why)`,
    ]);
  });

  test('fails when a static alert has both or neither of threshold and thresholdFrom', () => {
    const data = dataFile();
    const both = data.alerts.azurerm_search_service[0];
    both.thresholdFrom = 'tokenBudgetPerHour';
    const neither = data.alerts.azurerm_key_vault.find((a: { kind: string }) => a.kind === 'static');
    delete neither.threshold;
    expect(problemsOf(data)).toEqual([
      'alerts.azurerm_search_service[0].threshold: a static alert needs exactly one of threshold and thresholdFrom',
      expect.stringMatching(/^alerts\.azurerm_key_vault\[\d+\]\.threshold: a static alert needs exactly one/),
    ]);
  });

  test('fails when a percentage threshold is above 100', () => {
    const data = dataFile();
    const index = data.alerts.azurerm_cognitive_account.findIndex(
      (a: { unit: string; threshold?: number }) => a.unit === 'Percent' && a.threshold !== undefined,
    );
    data.alerts.azurerm_cognitive_account[index].threshold = 150;
    expect(problemsOf(data)).toEqual([
      `alerts.azurerm_cognitive_account[${index}].threshold: 150 is out of range for unit Percent (allowed: 0 to 100)`,
    ]);
  });

  test('fails when a dynamic alert needs more violations than it looks back', () => {
    const data = dataFile();
    const index = data.alerts.azurerm_key_vault.findIndex((a: { kind: string }) => a.kind === 'dynamic');
    Object.assign(data.alerts.azurerm_key_vault[index].dynamic, {
      evaluationTotalCount: 2,
      evaluationFailureCount: 3,
    });
    expect(problemsOf(data)).toEqual([
      `alerts.azurerm_key_vault[${index}].dynamic.evaluationFailureCount: 3 is more than evaluationTotalCount 2 (allowed: 1 to 2)`,
    ]);
  });

  test('fails when a key is not kebab-case', () => {
    const data = dataFile();
    data.alerts.azurerm_search_service[0].key = 'Search_Latency';
    expect(problemsOf(data)).toEqual([
      'alerts.azurerm_search_service[0].key: "Search_Latency": must be kebab-case (lower-case letters and digits joined by "-")',
    ]);
  });

  test('fails when a key repeats across resource types', () => {
    const data = dataFile();
    const first = data.alerts.azurerm_cognitive_account[0].key;
    data.alerts.azurerm_key_vault[1].key = first;
    expect(problemsOf(data)).toEqual([
      `alerts.azurerm_key_vault[1].key: "${first}" is already the key of an alert at alerts.azurerm_cognitive_account[0] (keys are unique across the catalog)`,
    ]);
  });

  test('fails when a type both has alerts and a reason for having none', () => {
    const data = dataFile();
    data.resourceTypesWithoutBaselineAlerts.azurerm_key_vault = 'No alerts needed.';
    expect(problemsOf(data)).toEqual([
      'resourceTypesWithoutBaselineAlerts.azurerm_key_vault: "azurerm_key_vault" has baseline alerts; a type is either in alerts or here, not both',
    ]);
  });

  test('fails when an exclusion gives no reason', () => {
    const data = dataFile();
    data.excludedAmbaAlerts[0].reason = ' ';
    expect(problemsOf(data)).toEqual([expect.stringMatching(/^excludedAmbaAlerts\[0\]\.reason: /)]);
  });

  test('reports every problem at once', () => {
    const data = dataFile();
    data.alerts.azurerm_search_service[0].severity = 5;
    data.alerts.azurerm_key_vault[0].unit = 'Percentage';
    expect(problemsOf(data)).toEqual([
      expect.stringMatching(/^alerts\.azurerm_search_service\[0\]\.severity: 5: /),
      expect.stringMatching(/^alerts\.azurerm_key_vault\[0\]\.unit: "Percentage": /),
    ]);
  });
});
