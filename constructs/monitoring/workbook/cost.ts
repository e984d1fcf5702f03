import { arm, text, WORKBOOK_SECTIONS, type WorkbookInputs, type WorkbookItem } from './items';

/**
 * The cost section: the resource group budget (amount, actual and forecast cost, from the Consumption API)
 * when there is one, and the actual cost per day this month (Cost Management query).
 */
export function costSection(inputs: WorkbookInputs): WorkbookItem[] {
  const b = inputs.budget;
  const summary = b
    ? `Monthly budget ${b.amount}; notifications at ${b.thresholdsPercent.map((p) => `${p} %`).join(', ') || 'none'} of actual cost and ${b.forecastThresholdsPercent.map((p) => `${p} %`).join(', ') || 'none'} of forecast cost.`
    : 'No budget is configured for this environment (`monitoring.budget` in the environment config).';
  const items: WorkbookItem[] = [text('section-cost', `## ${WORKBOOK_SECTIONS['section-cost']}\n${summary}`)];
  if (b) {
    items.push(
      arm('cost-budget', 'Budget: amount, actual and forecast cost this period', {
        method: 'GET',
        path: b.budgetId,
        urlParams: [{ key: 'api-version', value: '2023-05-01' }],
        data: null,
        transformers: [
          {
            type: 'jsonpath',
            settings: {
              tablePath: '$.properties',
              columns: [
                { path: '$.amount', columnid: 'Budget' },
                { path: '$.currentSpend.amount', columnid: 'Actual' },
                { path: '$.forecastSpend.amount', columnid: 'Forecast' },
                { path: '$.currentSpend.unit', columnid: 'Currency' },
              ],
            },
          },
        ],
      }),
    );
  }
  items.push(
    arm('cost-daily', 'Actual cost per day, month to date', {
      method: 'POST',
      path: `${inputs.resourceGroupId}/providers/Microsoft.CostManagement/query`,
      urlParams: [{ key: 'api-version', value: '2023-03-01' }],
      data: JSON.stringify({
        type: 'ActualCost',
        timeframe: 'MonthToDate',
        dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } } },
      }),
      transformers: [
        {
          type: 'jsonpath',
          settings: {
            tablePath: '$.properties.rows',
            columns: [
              { path: '$[0]', columnid: 'Cost' },
              { path: '$[1]', columnid: 'Date' },
              { path: '$[2]', columnid: 'Currency' },
            ],
          },
        },
      ],
    }),
  );
  return items;
}
