import { AZURE_OPENAI_DIMENSIONS, AZURE_OPENAI_NAMESPACE } from '../platform-metrics';
import { metrics, text, WORKBOOK_SECTIONS, type WorkbookInputs, type WorkbookItem } from './items';

/** The content-safety section: requests the content filter rejected or flagged, and abusive users. */
export function contentSafetySection(inputs: WorkbookInputs): WorkbookItem[] {
  const items: WorkbookItem[] = [
    text(
      'section-content-safety',
      `## ${WORKBOOK_SECTIONS['section-content-safety']}\nRequests the content filter rejected or flagged as harmful, by deployment, and users flagged for repeated abuse.`,
    ),
  ];
  const models = inputs.modelAccountIds ?? [];
  if (models.length > 0) {
    items.push(
      metrics(
        'content-safety-blocks',
        'Rejected and harmful requests by deployment',
        AZURE_OPENAI_NAMESPACE,
        models,
        [
          {
            metric: 'RAIRejectedRequests',
            aggregation: 'Total',
            splitBy: AZURE_OPENAI_DIMENSIONS.deployment,
          },
          { metric: 'RAIHarmfulRequests', aggregation: 'Total', splitBy: AZURE_OPENAI_DIMENSIONS.deployment },
        ],
      ),
      metrics('content-safety-abusive-users', 'Abusive users', AZURE_OPENAI_NAMESPACE, models, [
        { metric: 'RAIAbusiveUsersCount', aggregation: 'Total' },
      ]),
    );
  }
  return items;
}
