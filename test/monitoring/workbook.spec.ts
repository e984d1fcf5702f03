import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { TerraformResource, type TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import { inferenceApiPolicy } from '../../constructs/gateway/policies';
import { ModelMetrics } from '../../constructs/models/metrics';
import { BASELINE_ALERTS, BASELINE_RESOURCE_TYPES } from '../../constructs/monitoring/baseline-catalog';
import {
  AZURE_OPENAI_METRICS,
  AZURE_OPENAI_NAMESPACE,
  GATEWAY_TOKEN_METRICS,
} from '../../constructs/monitoring/platform-metrics';
import { QUALITY_TABLE } from '../../constructs/monitoring/quality-contract';
import {
  belowThresholdQuery,
  contractViolations,
  referencedNames,
} from '../../constructs/monitoring/quality-queries';
import {
  deterministicUuid,
  MonitoringWorkbook,
  type MonitoringWorkbookProps,
  WORKBOOK_SECTIONS,
  type WorkbookDefinition,
  type WorkbookInputs,
  type WorkbookItem,
  WorkbookItemType,
  WorkbookQueryType,
  workbookDefinition,
} from '../../constructs/monitoring/workbook';
import { onlyResource, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers';
const INPUTS: WorkbookInputs = {
  environment: 'test',
  workspaceId: `${SUB}/Microsoft.OperationalInsights/workspaces/log-test`,
  resourceGroupId: TEST_RESOURCE_GROUP.id,
  modelAccountIds: [`${SUB}/Microsoft.CognitiveServices/accounts/ais-test`],
  apiManagementIds: [`${SUB}/Microsoft.ApiManagement/service/apim-test`],
  searchServiceIds: [`${SUB}/Microsoft.Search/searchServices/srch-test`],
  qualityThresholds: {
    groundedness: { value: 4, direction: 'min' },
    fluency: { value: 3.5, direction: 'min' },
    defect_rate: { value: 0.1, direction: 'max' },
    violence_defect_rate: { value: 0.01, direction: 'max' },
    latencyP95Ms: { value: 5000, direction: 'max' },
    costPer1kAnswers: { value: 15, direction: 'max' },
  },
  tokenBudgetPerHour: 500_000,
  budget: {
    budgetId: `${SUB}/Microsoft.Consumption/budgets/budget-test`,
    amount: 1000,
    thresholdsPercent: [80, 100],
    forecastThresholdsPercent: [100],
  },
};

/** Tables of Azure services a workbook query may read besides the contracts': the gateway's resource logs. */
const AZURE_TABLES = ['ApiManagementGatewayLogs'];

const isKql = (i: WorkbookItem) =>
  i.type === WorkbookItemType.query && i.content.queryType === WorkbookQueryType.logs;
const isArm = (i: WorkbookItem) =>
  i.type === WorkbookItemType.query && i.content.queryType === WorkbookQueryType.armEndpoint;
const isMetrics = (i: WorkbookItem) => i.type === WorkbookItemType.metrics;

/** Metric names the monitoring code knows for a namespace: the catalog's, plus the Azure OpenAI list. */
function knownMetrics(namespace: string): Set<string> {
  const names = BASELINE_RESOURCE_TYPES.flatMap((t) => BASELINE_ALERTS[t])
    .filter((a) => a.metricNamespace.toLowerCase() === namespace.toLowerCase())
    .map((a) => a.metricName);
  if (namespace.toLowerCase() === AZURE_OPENAI_NAMESPACE.toLowerCase()) names.push(...AZURE_OPENAI_METRICS);
  return new Set(names);
}

/** Items from one section header to the next. */
function section(def: WorkbookDefinition, header: string): WorkbookItem[] {
  const start = def.items.findIndex((i) => i.name === header);
  const next = def.items.findIndex((i, n) => n > start && i.name.startsWith('section-'));
  return def.items.slice(start + 1, next === -1 ? undefined : next);
}

describe('workbookDefinition', () => {
  const def = workbookDefinition(INPUTS);

  test('is a Notebook/1.0 workbook with unique item names', () => {
    expect(def.version).toBe('Notebook/1.0');
    const names = def.items.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
    expect(def.fallbackResourceIds).toEqual([INPUTS.workspaceId]);
  });

  test('has every section the issue lists, each with at least one chart or query', () => {
    // traffic, tokens, content safety, quality, safety/cost/latency of the answers and cost, in that order
    expect(Object.keys(WORKBOOK_SECTIONS)).toEqual([
      'section-traffic',
      'section-tokens',
      'section-content-safety',
      'section-quality',
      'section-safety-cost-latency',
      'section-cost',
    ]);
    for (const [name, title] of Object.entries(WORKBOOK_SECTIONS)) {
      const header = def.items.find((i) => i.name === name);
      expect(header?.type).toBe(WorkbookItemType.text);
      expect(header?.content.json).toContain(`## ${title}`);
      expect(section(def, name).some((i) => isKql(i) || isArm(i) || isMetrics(i))).toBe(true);
    }
  });

  test('every KQL query reads only contract tables and names, or known Azure tables', () => {
    const queries = def.items.filter(isKql);
    expect(queries.length).toBeGreaterThan(0);
    // both contracts are read somewhere, so the checks below run for each
    const tablesRead = new Set(queries.flatMap((i) => referencedNames(i.content.query as string).tables));
    expect(tablesRead).toContain(QUALITY_TABLE);
    expect(tablesRead).toContain(GATEWAY_TOKEN_METRICS.table);
    for (const item of queries) {
      const query = item.content.query as string;
      const names = referencedNames(query);
      // runs against the environment's workspace
      expect(item.content.crossComponentResources).toEqual([INPUTS.workspaceId]);
      expect(item.content.resourceType).toBe('microsoft.operationalinsights/workspaces');
      for (const table of names.tables) {
        expect([QUALITY_TABLE, GATEWAY_TOKEN_METRICS.table, ...AZURE_TABLES]).toContain(table);
      }
      if (names.tables.includes(QUALITY_TABLE)) {
        // the quality contract: event name, properties and measurements
        expect(contractViolations(query)).toEqual([]);
      }
      if (names.tables.includes(GATEWAY_TOKEN_METRICS.table)) {
        // the gateway token metrics: metric names and dimensions
        const metricNames = [...query.matchAll(/\bName in \(([^)]*)\)/g)].flatMap((m) =>
          [...m[1]!.matchAll(/"([^"]*)"/g)].map((n) => n[1]),
        );
        expect(metricNames.length).toBeGreaterThan(0);
        for (const name of metricNames) expect(Object.values(GATEWAY_TOKEN_METRICS.names)).toContain(name);
        for (const key of names.properties)
          expect(Object.values(GATEWAY_TOKEN_METRICS.dimensions)).toContain(key);
        expect(names.measurements).toEqual([]);
      }
    }
  });

  test('every metrics chart reads metrics of the catalog or the Azure OpenAI list, on resources of its type', () => {
    const charts = def.items.filter(isMetrics);
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) {
      const resourceType = chart.content.resourceType as string;
      const metrics = chart.content.metrics as { namespace: string; metric: string; aggregation: number }[];
      const resourceIds = chart.content.resourceIds as string[];
      expect({ chart: chart.name, metrics: metrics.length > 0, resources: resourceIds.length > 0 }).toEqual({
        chart: chart.name,
        metrics: true,
        resources: true,
      });
      for (const m of metrics) {
        expect(m.namespace).toBe(resourceType);
        const [namespace, name] = m.metric.split('--');
        expect(namespace).toBe(resourceType);
        expect([...knownMetrics(namespace!)]).toContain(name);
        expect([1, 4]).toContain(m.aggregation);
      }
      for (const id of resourceIds) {
        expect(id.toLowerCase()).toContain(`/${resourceType}/`);
      }
    }
  });

  test('uses no legacy Cognitive Services HTTP metric', () => {
    const json = JSON.stringify(def);
    // the metrics charts name metrics as "<namespace>--<metric>": the Azure OpenAI ones appear that way
    expect(json).toContain('--AzureOpenAIRequests"');
    for (const legacy of [
      '--Latency"',
      '--SuccessRate"',
      '--TotalErrors"',
      '--ServerErrors"',
      '--ClientErrors"',
      '--BlockedCalls"',
    ]) {
      expect(json).not.toContain(legacy);
    }
  });

  test('the Azure OpenAI list covers every metric the model capability names', () => {
    const modelMetricNames = (Object.values(ModelMetrics) as unknown[]).filter(
      (v): v is string => typeof v === 'string' && v !== ModelMetrics.namespace,
    );
    expect(modelMetricNames.length).toBeGreaterThan(5);
    for (const name of modelMetricNames) expect(AZURE_OPENAI_METRICS).toContain(name);
    expect(ModelMetrics.namespace).toBe(AZURE_OPENAI_NAMESPACE);
  });

  test('the gateway policy emits the token metric dimensions the workbook reads, in the namespace it expects', () => {
    const policy = inferenceApiPolicy({
      backends: { chat: 'pool-chat' },
      experiments: {},
      metricNamespace: 'llmops',
      sendBudgets: { 'pool-chat': 1 },
      timeoutSeconds: 120,
      retryCount: 0,
      products: { inference: { tokensPerMinute: 10_000 } },
    });
    const emit =
      /<azure-openai-emit-token-metric namespace="([^"]*)">([\s\S]*?)<\/azure-openai-emit-token-metric>/.exec(
        policy,
      );
    expect(emit?.[1]).toBe(GATEWAY_TOKEN_METRICS.namespace);
    const dimensions = [...emit![2]!.matchAll(/<dimension name="([^"]*)"/g)].map((m) => m[1]);
    expect(dimensions.sort()).toEqual(Object.values(GATEWAY_TOKEN_METRICS.dimensions).sort());
  });

  test('shows tokens by deployment and variant through the gateway metrics', () => {
    const tokens = section(def, 'section-tokens').filter(isKql);
    const query = tokens.map((i) => i.content.query as string).join('\n');
    expect(query).toContain(`Properties["${GATEWAY_TOKEN_METRICS.dimensions.deployment}"]`);
    expect(query).toContain(`Properties["${GATEWAY_TOKEN_METRICS.dimensions.variant}"]`);
    expect(def.items.find((i) => i.name === 'section-tokens')?.content.json).toContain(
      '500000 tokens per hour',
    );
  });

  test('shows content-filter blocks by deployment', () => {
    const charts = section(def, 'section-content-safety').filter(isMetrics);
    const metrics = charts.flatMap((c) => c.content.metrics as { metric: string; splitBy?: string[] }[]);
    expect(metrics.find((m) => m.metric.endsWith('--RAIRejectedRequests'))?.splitBy).toEqual([
      'ModelDeploymentName',
    ]);
  });

  test('shows safety defect rates, latency and cost beside quality, each against its threshold', () => {
    // GIVEN quality (groundedness, fluency, a custom defect_rate) and safety/latency/cost thresholds
    const quality = section(def, 'section-quality').map((i) => i.name);
    const ops = section(def, 'section-safety-cost-latency').map((i) => i.name);
    // THEN the known safety, latency and cost metrics get their own section, with the same query shapes
    expect(ops).toEqual([
      'ops-over-time',
      'ops-by-variant',
      'ops-failing-violence_defect_rate',
      'ops-failing-latencyP95Ms',
      'ops-failing-costPer1kAnswers',
    ]);
    expect(quality.filter((n) => n.startsWith('quality-failing-'))).toEqual([
      'quality-failing-groundedness',
      'quality-failing-fluency',
      'quality-failing-defect_rate',
    ]);
    const header = def.items.find((i) => i.name === 'section-safety-cost-latency')!.content.json as string;
    expect(header).toContain('violence_defect_rate <= 0.01, latencyP95Ms <= 5000, costPer1kAnswers <= 15');
    const byVariant = def.items.find((i) => i.name === 'ops-by-variant')!.content.query as string;
    expect(byVariant).toContain('metric in ("violence_defect_rate", "latencyP95Ms", "costPer1kAnswers")');
    expect(byVariant).toContain('metric == "latencyP95Ms", "max"');
  });

  test("shows what fails each quality threshold now, with the alerts' query", () => {
    for (const [metric, threshold] of Object.entries(INPUTS.qualityThresholds)) {
      const name = ['violence_defect_rate', 'latencyP95Ms', 'costPer1kAnswers'].includes(metric)
        ? 'ops'
        : 'quality';
      const item = def.items.find((i) => i.name === `${name}-failing-${metric}`);
      expect(item?.content.query).toBe(
        belowThresholdQuery(metric, threshold, { window: 'PT6H', environment: 'test', minSamples: 1 }).kql,
      );
    }
    const table = def.items.find((i) => i.name === 'quality-by-variant')!.content.query as string;
    expect(table).toContain('metric == "defect_rate", real(0.1)');
    expect(table).toContain('metric == "defect_rate", "max"');
  });

  test('shows cost against the budget through Azure Resource Manager calls', () => {
    const calls = section(def, 'section-cost').filter(isArm);
    const requests = calls.map((c) => JSON.parse(c.content.query as string));
    expect(requests.map((r) => [r.version, r.method, r.path])).toEqual([
      ['ARMEndpoint/1.0', 'GET', INPUTS.budget!.budgetId],
      ['ARMEndpoint/1.0', 'POST', `${INPUTS.resourceGroupId}/providers/Microsoft.CostManagement/query`],
    ]);
    expect(JSON.parse(requests[1].data)).toMatchObject({ type: 'ActualCost', timeframe: 'MonthToDate' });
    expect(def.items.find((i) => i.name === 'section-cost')?.content.json).toContain('Monthly budget 1000');
  });

  test('without a budget or resources: the cost section says so and no empty charts are drawn', () => {
    const bare = workbookDefinition({
      ...INPUTS,
      budget: undefined,
      modelAccountIds: [],
      apiManagementIds: [],
      searchServiceIds: [],
    });
    expect(bare.items.filter(isMetrics)).toEqual([]);
    expect(bare.items.find((i) => i.name === 'cost-budget')).toBeUndefined();
    expect(bare.items.find((i) => i.name === 'section-cost')?.content.json).toContain(
      'No budget is configured',
    );
    // the quality and gateway token queries do not depend on resources
    expect(bare.items.some((i) => i.name === 'quality-over-time')).toBe(true);
    expect(bare.items.some((i) => i.name === 'tokens-gateway-timechart')).toBe(true);
  });

  test('snapshot of the workbook JSON', () => {
    expect(def.items.filter((i) => i.name.startsWith('section-')).map((i) => i.name)).toEqual(
      Object.keys(WORKBOOK_SECTIONS),
    );
    expect(def).toMatchSnapshot();
  });
});

describe('deterministicUuid', () => {
  test('is a stable, lowercase version-5-layout UUID that differs per input', () => {
    const a = deterministicUuid('workbook', 'prod', 'LLMOps prod');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('workbook', 'prod', 'LLMOps prod')).toBe(a);
    expect(deterministicUuid('workbook', 'dev', 'LLMOps dev')).not.toBe(a);
  });
});

/** A stand-in for a resource of `type`. */
class FakeResource extends TerraformResource {
  constructor(scope: TerraformStack, id: string, type: string) {
    super(scope, id, { terraformResourceType: type });
  }
}

describe('MonitoringWorkbook', () => {
  function synthWorkbook(props: Partial<MonitoringWorkbookProps> = {}) {
    const stack = testStack();
    const appInsights = new ApplicationInsights(stack, 'AppInsights', {
      name: 'appi-test',
      location: 'swedencentral',
      resourceGroupName: 'rg-test',
      applicationType: 'web',
    });
    const resources = [
      new FakeResource(stack, 'Account', 'azurerm_cognitive_account'),
      new FakeResource(stack, 'Vault', 'azurerm_key_vault'),
    ];
    new MonitoringWorkbook(stack, 'Workbook', {
      resourceGroup: TEST_RESOURCE_GROUP,
      environment: 'test',
      appInsights,
      workspace: { id: INPUTS.workspaceId },
      resources,
      qualityThresholds: INPUTS.qualityThresholds,
      ...props,
    });
    return onlyResource(synthStack(stack), 'azurerm_application_insights_workbook');
  }

  test('deploys the definition under Application Insights with a derived UUID name', () => {
    const json = synthWorkbook();
    expect(json).toMatchObject({
      name: deterministicUuid('workbook', 'test', 'LLMOps test'),
      display_name: 'LLMOps test',
      category: 'workbook',
      resource_group_name: 'rg-test',
      location: 'swedencentral',
      source_id: `\${lower(azurerm_application_insights.AppInsights.id)}`,
    });
    const data = JSON.parse(json.data_json as string) as WorkbookDefinition;
    expect(data.version).toBe('Notebook/1.0');
    // model accounts are charted, by reference; other types are ignored
    const chart = data.items.find((i) => i.name === 'traffic-model-requests');
    expect(chart?.content.resourceIds).toEqual([`\${azurerm_cognitive_account.Account.id}`]);
    expect(JSON.stringify(data)).not.toContain('azurerm_key_vault');
  });

  test('takes a display name', () => {
    expect(synthWorkbook({ displayName: 'Ops' }).name).toBe(deterministicUuid('workbook', 'test', 'Ops'));
  });

  test('fails when the environment name is not usable', () => {
    expect(() => synthWorkbook({ environment: 'Prod!' })).toThrow(ValidationError);
    expect(() => synthWorkbook({ environment: 'Prod!' })).toThrow(
      'props.environment: "Prod!" must be lowercase letters, digits and hyphens, starting with a letter',
    );
  });
});
