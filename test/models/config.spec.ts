import type { EnvironmentConfig } from '../../lib/config/environment';
import { parseConfig } from '../../lib/config/load';
import { problemsOf } from './helpers';

/** A config file with one environment whose body is `body` (YAML, indented for the `dev:` key). */
function configText(body: string, profile = 'development'): string {
  const indented = body
    .split('\n')
    .map((l) => (l.trim() ? `    ${l}` : l))
    .join('\n');
  return `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags:
    owner: test-team
environments:
  dev:
    profile: ${profile}
    network:
      mode: public
${indented}
`;
}

function load(body: string, profile = 'development'): EnvironmentConfig {
  return parseConfig(configText(body, profile), 'test.yaml').environments.dev!;
}

/**
 * The `models` problems of a config, without the `environments.dev.` prefix. Other sections' checks
 * (search needs an embedding deployment, for one) are theirs to test.
 */
function fails(body: string): string[] {
  return problemsOf(() => load(body))
    .map((p) => p.replace(/^environments\.dev\./, ''))
    .filter((p) => p.startsWith('models.'));
}

describe('models config', () => {
  test('defaults: a chat and an embedding deployment with pinned versions, behind the strict filter', () => {
    // GIVEN / WHEN
    const models = load('').models;

    // THEN
    expect(models.kind).toBe('AIServices');
    expect(models.secondaryLocations).toEqual([]);
    expect(models.defaultContentFilter).toBe('strict');
    expect(models.contentFilters).toEqual({
      strict: {
        severityThreshold: 'Low',
        categories: {},
        promptShields: true,
        protectedMaterial: true,
        blocklists: {},
      },
    });
    expect(models.deployments).toEqual({
      chat: {
        role: 'chat',
        model: 'gpt-4o',
        version: '2024-11-20',
        format: 'OpenAI',
        dimensions: undefined,
        sku: 'GlobalStandard',
        capacity: 30,
        versionUpgrade: 'OnceCurrentVersionExpired',
        contentFilter: 'strict',
        pricingTier: 'GlobalStandard',
      },
      embedding: {
        role: 'embedding',
        model: 'text-embedding-3-large',
        version: '1',
        format: 'OpenAI',
        dimensions: 3072,
        sku: 'GlobalStandard',
        capacity: 50,
        versionUpgrade: 'OnceCurrentVersionExpired',
        contentFilter: 'strict',
        pricingTier: 'GlobalStandard',
      },
    });
  });

  test('production defaults: more capacity and no automatic version upgrade', () => {
    // GIVEN a production profile (public here, so no network or runner settings are needed)
    const models = load(
      'pipeline:\n  runner:\n    labels: [self-hosted]\nmodels:\n  azure:\n    secondaryLocations: [germanywestcentral]',
      'production',
    ).models;

    // THEN
    expect(models.deployments.chat).toMatchObject({ capacity: 100, versionUpgrade: 'NoAutoUpgrade' });
    expect(models.deployments.embedding).toMatchObject({ capacity: 150, versionUpgrade: 'NoAutoUpgrade' });
  });

  test('every option: deployments incl. fine-tuned and provisioned, filters, default filter, opt-out, secondary regions', () => {
    // GIVEN
    const models = load(`models:
  deployments:
    chat:
      role: chat
      model: gpt-4o
      version: "2024-11-20"
      azure: { sku: ProvisionedManaged, versionUpgrade: OnceNewDefaultVersionAvailable }
    support-bot:
      role: chat
      model: gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef
      version: "1"
      azure: { sku: Standard, capacity: 10, contentFilter: microsoft-default }
    embedding:
      role: embedding
      model: text-embedding-3-small
      version: "1"
      dimensions: 512
      azure: { capacity: 20, contentFilter: strict }
  azure:
    kind: AIServices
    secondaryLocations: [westeurope, francecentral]
    defaultContentFilter: relaxed
    contentFilters:
      strict: {}
      relaxed:
        severityThreshold: Medium
        categories: { Violence: High }
        promptShields: true
        protectedMaterial: false
        blocklists:
          brands: [Contoso, Fabrikam]
gateway:
  tokenLimits:
    tokensPerMinute: 5000`).models;

    // THEN
    expect(models.secondaryLocations).toEqual(['westeurope', 'francecentral']);
    // provisioned without capacity: the documented minimum for the model
    expect(models.deployments.chat).toMatchObject({
      sku: 'ProvisionedManaged',
      capacity: 50,
      contentFilter: 'relaxed',
    });
    expect(models.deployments['support-bot']).toMatchObject({
      format: 'OpenAI',
      sku: 'Standard',
      capacity: 10,
      contentFilter: 'microsoft-default',
    });
    expect(models.deployments.embedding).toMatchObject({
      dimensions: 512,
      capacity: 20,
      contentFilter: 'strict',
    });
    expect(models.contentFilters.relaxed).toEqual({
      severityThreshold: 'Medium',
      categories: { Violence: 'High' },
      promptShields: true,
      protectedMaterial: false,
      blocklists: { brands: ['Contoso', 'Fabrikam'] },
    });
  });

  describe('validation', () => {
    const chat = (azure: string, extra = '') => `models:
  deployments:
    chat:
      role: chat
      model: gpt-4o
      version: "2024-11-20"${extra}
      azure: ${azure}`;

    test('fails when a deployment name is invalid', () => {
      expect(
        fails(
          'models:\n  deployments:\n    "chat bot": { role: chat, model: gpt-4o, version: "2024-11-20" }',
        ),
      ).toEqual([
        'models.deployments.chat bot: "chat bot" is not a valid deployment name: 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit',
      ]);
    });

    test('fails when two deployment names differ only in case', () => {
      expect(
        fails(`models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
    Chat: { role: chat, model: gpt-4o, version: "2024-11-20" }`),
      ).toEqual(['models.deployments: duplicate deployment names (Azure ignores case): chat, Chat']);
    });

    test('fails when a deployment name appears twice in the file', () => {
      const problems = fails(`models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
    chat: { role: chat, model: gpt-4o-mini, version: "2024-07-18" }`);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^models\.deployments\.chat: duplicate key "chat" at line \d+/);
    });

    test('fails when the version is missing', () => {
      expect(fails('models:\n  deployments:\n    chat: { role: chat, model: gpt-4o }')).toEqual([
        'models.deployments.chat.version: is required (string)',
      ]);
    });

    test('fails when the version is blank', () => {
      expect(fails('models:\n  deployments:\n    chat: { role: chat, model: gpt-4o, version: " " }')).toEqual(
        [
          'models.deployments.chat.version: is required: pin the model version (e.g. "2024-11-20", or "1" for fine-tuned models); versions never float',
        ],
      );
    });

    test('fails when a provisioned capacity is below the minimum for the model', () => {
      expect(fails(chat('{ sku: ProvisionedManaged, capacity: 25 }'))).toEqual([
        'models.deployments.chat.azure.capacity: 25 PTU is below the ProvisionedManaged minimum of 50 PTU for gpt-4o',
      ]);
    });

    test('fails when a provisioned capacity is not a multiple of the increment', () => {
      expect(fails(chat('{ sku: GlobalProvisionedManaged, capacity: 22 }'))).toEqual([
        'models.deployments.chat.azure.capacity: 22 PTU is not a multiple of the GlobalProvisionedManaged increment of 5 PTU for gpt-4o',
      ]);
    });

    test('fails when a model without a regional provisioned offer is deployed as ProvisionedManaged', () => {
      expect(
        fails(`models:
  deployments:
    chat: { role: chat, model: DeepSeek-R1, format: DeepSeek, version: "1", azure: { sku: ProvisionedManaged } }`),
      ).toEqual([
        'models.deployments.chat.azure.sku: ProvisionedManaged is an Azure OpenAI deployment type: DeepSeek models deploy as GlobalStandard, DataZoneStandard, GlobalProvisionedManaged, DataZoneProvisionedManaged',
        'models.deployments.chat.azure.capacity: DeepSeek-R1 has no regional provisioned (ProvisionedManaged) offer: use GlobalProvisionedManaged or DataZoneProvisionedManaged',
      ]);
    });

    test('accepts an open-weight catalog model with its publisher as format, a global SKU and a pinned version', () => {
      const env = load(`models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
    embedding: { role: embedding, model: text-embedding-3-large, version: "1" }
    llama: { role: chat, model: Llama-3.3-70B-Instruct, version: "4", format: Meta, azure: { sku: GlobalStandard } }`);
      expect(env.models.deployments.llama).toMatchObject({
        format: 'Meta',
        sku: 'GlobalStandard',
        version: '4',
      });
    });

    test('fails when a format is not a publisher, or a catalog model uses an Azure OpenAI-only SKU', () => {
      expect(
        fails(`models:
  deployments:
    a: { role: chat, model: Mistral-Large-2411, version: "2", format: Mistral }
    b: { role: chat, model: Phi-4, version: "7", format: Microsoft, azure: { sku: Standard } }`),
      ).toEqual([
        'models.deployments.a.format: "Mistral" is not a model format (publisher) AI Services deploys: one of "OpenAI", "AI21 Labs", "Black Forest Labs", "Cohere", "Core42", "DeepSeek", "Meta", "Microsoft", "Mistral AI", "xAI" (case matters)',
        'models.deployments.b.azure.sku: Standard is an Azure OpenAI deployment type: Microsoft models deploy as GlobalStandard, DataZoneStandard, GlobalProvisionedManaged, DataZoneProvisionedManaged',
      ]);
    });

    test('fails when a capacity is not positive', () => {
      expect(fails(chat('{ capacity: 0 }'))).toEqual([
        'models.deployments.chat.azure.capacity: 0 is too small: minimum 1',
      ]);
    });

    test('fails when an embedding model of unknown size declares no dimensions', () => {
      expect(
        fails(
          'models:\n  deployments:\n    embedding: { role: embedding, model: embed-v-4-0, format: Cohere, version: "1" }',
        ),
      ).toEqual([
        'models.deployments.embedding.dimensions: is required for embedding model "embed-v-4-0": its vector size is not known (known: text-embedding-3-large, text-embedding-3-small, text-embedding-ada-002)',
      ]);
    });

    test('fails when a chat deployment declares dimensions', () => {
      expect(fails(chat('{}', '\n      dimensions: 1024'))).toEqual([
        'models.deployments.chat.dimensions: is set on a chat deployment: dimensions apply to embedding deployments only',
      ]);
    });

    test('fails when a fine-tuned model has another format than OpenAI', () => {
      expect(
        fails(
          'models:\n  deployments:\n    bot: { role: chat, model: gpt-4o-mini-2024-07-18.ft-abc, format: Meta, version: "1" }',
        ),
      ).toEqual([
        'models.deployments.bot.format: "Meta" is not possible for fine-tuned model "gpt-4o-mini-2024-07-18.ft-abc": fine-tuned models have format "OpenAI"',
      ]);
    });

    test('fails when an OpenAI account would host a non-OpenAI model', () => {
      expect(
        fails(
          'models:\n  deployments:\n    llama: { role: chat, model: Llama-3.3-70B-Instruct, format: Meta, version: "1" }\n  azure:\n    kind: OpenAI',
        ),
      ).toEqual([
        'models.deployments.llama.format: "Meta" models need models.azure.kind AIServices; kind OpenAI serves only format "OpenAI"',
      ]);
    });

    test('fails when a deployment names an unknown content filter', () => {
      expect(fails(chat('{ contentFilter: lenient }'))).toEqual([
        'models.deployments.chat.azure.contentFilter: "lenient" is not a declared content filter (declared: strict; or "microsoft-default" to opt out explicitly)',
      ]);
    });

    test('fails when the default content filter is unknown, reported once at the default', () => {
      expect(fails('models:\n  azure:\n    defaultContentFilter: lenient')).toEqual([
        'models.azure.defaultContentFilter: "lenient" is not a declared content filter (declared: strict; or "microsoft-default" to opt out explicitly)',
      ]);
    });

    test('fails when a content filter is named like the opt-out keyword', () => {
      expect(
        fails('models:\n  azure:\n    contentFilters:\n      strict: {}\n      microsoft-default: {}'),
      ).toEqual([
        'models.azure.contentFilters.microsoft-default: "microsoft-default" is reserved for the explicit opt-out',
      ]);
    });

    test('fails when a content filter is named like a Microsoft policy', () => {
      expect(
        fails('models:\n  azure:\n    contentFilters:\n      strict: {}\n      Microsoft.Strict: {}'),
      ).toEqual([
        'models.azure.contentFilters.Microsoft.Strict: "Microsoft.Strict" is reserved: names starting with "Microsoft." are Microsoft\'s policies',
      ]);
    });

    test('fails when two content filters differ only in case', () => {
      expect(fails('models:\n  azure:\n    contentFilters:\n      strict: {}\n      STRICT: {}')).toEqual([
        'models.azure.contentFilters: duplicate content filter names (Azure ignores case): strict, STRICT',
      ]);
    });

    test('fails when a blocklist is empty', () => {
      expect(
        fails('models:\n  azure:\n    contentFilters:\n      strict:\n        blocklists: { brands: [] }'),
      ).toEqual([
        'models.azure.contentFilters.strict.blocklists.brands: is empty: list at least one term, or remove the blocklist',
      ]);
    });

    test('fails when a blocklist repeats a term', () => {
      expect(
        fails(
          'models:\n  azure:\n    contentFilters:\n      strict:\n        blocklists: { brands: [Contoso, CONTOSO] }',
        ),
      ).toEqual([
        'models.azure.contentFilters.strict.blocklists.brands: duplicate terms (matching ignores case): "Contoso" = "CONTOSO"',
      ]);
    });

    test('fails when a severity is not Low, Medium or High', () => {
      expect(
        fails('models:\n  azure:\n    contentFilters:\n      strict: { severityThreshold: Off }'),
      ).toEqual([
        'models.azure.contentFilters.strict.severityThreshold: "Off" is not one of "Low", "Medium", "High"',
      ]);
    });

    test('fails when a secondary region is not an Azure region', () => {
      expect(fails('models:\n  azure:\n    secondaryLocations: [mars]')).toEqual([
        'models.azure.secondaryLocations[0]: "mars" is not an Azure region (e.g. swedencentral, westeurope, eastus2)',
      ]);
    });

    test('fails when a secondary region is the primary region', () => {
      expect(fails('models:\n  azure:\n    secondaryLocations: [swedencentral]')).toEqual([
        'models.azure.secondaryLocations[0]: "swedencentral" is the environment\'s own region: a secondary account must be elsewhere',
      ]);
    });

    test('fails when a secondary region is listed twice', () => {
      expect(fails('models:\n  azure:\n    secondaryLocations: [westeurope, westeurope]')).toEqual([
        'models.azure.secondaryLocations[1]: "westeurope" is listed twice',
      ]);
    });

    test('reports every problem at once', () => {
      expect(
        fails(`models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20", azure: { sku: ProvisionedManaged, capacity: 10, contentFilter: nope } }
    embedding: { role: embedding, model: my-embedder, version: "1" }`).map((p) => p.split(': ')[0]),
      ).toEqual([
        'models.deployments.chat.azure.capacity',
        'models.deployments.chat.azure.contentFilter',
        'models.deployments.embedding.dimensions',
      ]);
    });
  });
});
