import { join } from 'node:path';
import { inferenceApiPolicy, semanticCachePolicy } from '../../constructs/gateway/policies';
import { loadConfig } from '../../lib/config/load';
import { shippedEnvironmentJson } from '../helpers/shipped-synth';
import { resourcesOf, type SynthJson, synthStack } from '../helpers/synth';
import { buildGateway, EXPERIMENT } from './fixtures';
import { POLICY_REFERENCE, policyNames, policyReferenceProblems } from './policy-reference';
import { parseXml } from './xml';

/** Resource types whose `xml_content` is an API Management policy document. */
const POLICY_RESOURCES = [
  'azurerm_api_management_api_policy',
  'azurerm_api_management_api_operation_policy',
  'azurerm_api_management_product_policy',
];

function policiesOf(json: SynthJson): [string, string][] {
  return POLICY_RESOURCES.flatMap((type) =>
    Object.entries(resourcesOf(json, type)).map(([id, r]): [string, string] => [
      `${type}.${id}`,
      r.xml_content as string,
    ]),
  );
}

const BACKENDS = { chat: 'pool-chat', 'chat-v2': 'pool-chat-v2', embedding: 'pool-embedding' };
const PRODUCTS = { inference: { tokensPerMinute: 10_000 } };

describe('generated policies follow the Microsoft Learn policy reference', () => {
  test.each([
    [
      'API policy, no experiment, no failover',
      inferenceApiPolicy({
        backends: BACKENDS,
        experiments: {},
        metricNamespace: 'llmops',
        sendBudgets: { 'pool-chat': 2, 'pool-chat-v2': 2, 'pool-embedding': 2 },
        timeoutSeconds: 120,
        retryCount: 0,
        products: PRODUCTS,
      }),
    ],
    [
      'API policy with an experiment on a custom pin header and retries',
      inferenceApiPolicy({
        backends: BACKENDS,
        experiments: {
          chat: { ...EXPERIMENT, pinHeader: 'x-team-variant' },
          embed: { variants: { only: { deployment: 'embedding', weight: 100 } } },
        },
        metricNamespace: 'llmops',
        sendBudgets: { 'pool-chat': 2, 'pool-chat-v2': 2, 'pool-embedding': 2 },
        timeoutSeconds: 120,
        retryCount: 2,
        products: {
          inference: { tokensPerMinute: 10_000 },
          gold: { tokensPerMinute: 10_000, tokenQuota: 1_000_000, tokenQuotaPeriod: 'Daily' },
        },
      }),
    ],
    [
      'semantic cache',
      semanticCachePolicy(
        { embeddingsDeployment: 'embedding', scoreThreshold: 0.1, durationSeconds: 60 },
        'semantic-cache-embeddings',
      ),
    ],
  ])('%s', (_, xml) => {
    // GIVEN a generated policy document, WHEN read and checked against the reference
    // THEN every element, attribute, value and section placement is one the reference lists
    expect(policyReferenceProblems(parseXml(xml))).toEqual([]);
  });

  test('every policy of every shipped environment, and of a gateway with every option', () => {
    // GIVEN the environments of config/environments.yaml and a gateway with caching, failover and an experiment
    const config = loadConfig(join(__dirname, '..', '..', 'config', 'environments.yaml'));
    const azure = Object.values(config.environments).filter((env) => env.cloud === 'azure');
    const documents = azure.flatMap((env) => policiesOf(shippedEnvironmentJson(env.name)));
    const options = buildGateway(
      {
        experiments: { chat: EXPERIMENT },
        semanticCache: { embeddingsDeployment: 'embedding' },
        products: { gold: { tokensPerMinute: 50_000, tokenQuota: 10_000_000, tokenQuotaPeriod: 'Monthly' } },
      },
      { secondaryLocations: ['francecentral'] },
    );
    documents.push(...policiesOf(synthStack(options.stack)));
    // WHEN each is checked THEN none breaks the reference, and together they use every policy listed
    const used = new Set<string>();
    for (const [address, xml] of documents) {
      const document = parseXml(xml);
      expect({ address, problems: policyReferenceProblems(document) }).toEqual({ address, problems: [] });
      for (const name of policyNames(document)) used.add(name);
    }
    expect([...used].sort()).toEqual(Object.keys(POLICY_REFERENCE).sort());
  });

  test('the token limit and token metric policies are the Azure OpenAI ones, with the metric dimensions', () => {
    const api = parseXml(
      inferenceApiPolicy({
        backends: BACKENDS,
        experiments: {},
        metricNamespace: 'llmops',
        sendBudgets: { 'pool-chat': 2, 'pool-chat-v2': 2, 'pool-embedding': 2 },
        timeoutSeconds: 120,
        retryCount: 0,
        products: PRODUCTS,
      }),
    );
    expect(policyNames(api)).toContain('azure-openai-emit-token-metric');
    expect(policyNames(api)).toContain('authentication-managed-identity');
    expect(policyNames(api)).toContain('set-backend-service');
    expect(policyNames(api)).toContain('azure-openai-token-limit');
  });
});

describe('policyReferenceProblems', () => {
  const doc = (inbound: string, outbound = '<base />') =>
    parseXml(
      `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound>${outbound}</outbound><on-error><base /></on-error></policies>`,
    );

  test('fails when an attribute name is not in the reference', () => {
    expect(
      policyReferenceProblems(
        doc(
          '<azure-openai-token-limit counter-key="@(context.Subscription.Id)" tokens-per-min="10" estimate-prompt-tokens="false" />',
        ),
      ),
    ).toEqual([
      expect.stringContaining('unknown attribute tokens-per-min'),
      'inbound/azure-openai-token-limit: needs tokens-per-minute or token-quota',
    ]);
  });

  test('fails when a required attribute is missing', () => {
    expect(policyReferenceProblems(doc('<authentication-managed-identity />'))).toEqual([
      'inbound/authentication-managed-identity: required attribute resource is missing',
    ]);
  });

  test('fails when a value is not one the reference allows', () => {
    expect(
      policyReferenceProblems(
        doc(
          '<azure-openai-token-limit counter-key="k" token-quota="5" token-quota-period="Quarterly" estimate-prompt-tokens="no" />',
        ),
      ),
    ).toEqual([
      'inbound/azure-openai-token-limit: token-quota-period="Quarterly" is not one of Hourly, Daily, Weekly, Monthly, Yearly',
      'inbound/azure-openai-token-limit: estimate-prompt-tokens="no" is not one of true, false',
    ]);
  });

  test('fails when a policy is placed in a section it is not allowed in', () => {
    expect(policyReferenceProblems(doc('<azure-openai-semantic-cache-store duration="60" />'))).toEqual([
      'inbound/azure-openai-semantic-cache-store: <azure-openai-semantic-cache-store> is not allowed in <inbound> (only outbound)',
    ]);
  });

  test('fails when an element is not a policy of the reference, or a child is out of order', () => {
    expect(
      policyReferenceProblems(
        doc(
          '<emit-token-metric /><trace source="s"><metadata name="a" value="b" /><message>m</message></trace>',
        ),
      ),
    ).toEqual([
      'inbound/emit-token-metric: <emit-token-metric> is not a policy in the reference',
      'inbound/trace: <message> is out of the reference order (message, metadata)',
    ]);
  });

  test('fails when the sections are missing or out of order', () => {
    expect(
      policyReferenceProblems(
        parseXml('<policies><outbound><base /></outbound><inbound><base /></inbound></policies>'),
      ),
    ).toEqual(['sections are outbound, inbound; expected inbound, backend, outbound, on-error']);
  });
});
