import {
  ContentFilterPolicy,
  MICROSOFT_DEFAULT_CONTENT_FILTER,
} from '../../constructs/models/content-filter-policy';
import { ModelDeployment, type ModelDeploymentProps } from '../../constructs/models/model-deployment';
import { modelStack, onlyOf, problemsOf, synth } from './helpers';

const ACCOUNT_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.CognitiveServices/accounts/ais-test';
const account = { accountId: ACCOUNT_ID };

function build(props: Partial<ModelDeploymentProps> = {}) {
  const stack = modelStack();
  const filter = new ContentFilterPolicy(stack, 'Filter', { account, name: 'strict' });
  const deployment = new ModelDeployment(stack, 'Chat', {
    account,
    name: 'chat',
    role: 'chat',
    model: { name: 'gpt-4o', version: '2024-11-20' },
    capacityThousandTokensPerMinute: 30,
    contentFilter: filter,
    ...props,
  });
  return { stack, filter, deployment };
}

describe('ModelDeployment', () => {
  test('defaults: GlobalStandard, pinned version, upgraded only once it expires, the given content filter', () => {
    // GIVEN / WHEN
    const { stack, deployment } = build();
    const resource = onlyOf(synth(stack), 'azurerm_cognitive_deployment');

    // THEN
    expect(resource.name).toBe('chat');
    expect(resource.cognitive_account_id).toBe(ACCOUNT_ID);
    expect(resource.model).toEqual({ format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' });
    expect(resource.sku).toEqual({ name: 'GlobalStandard', capacity: 30 });
    expect(resource.version_upgrade_option).toBe('OnceCurrentVersionExpired');
    expect(resource.rai_policy_name).toBe('strict');
    // AND it waits for its policy (referenced by name, so the dependency must be explicit)
    expect(resource.depends_on).toEqual(['azapi_resource.Filter']);
    // AND the handles
    expect(deployment.info).toEqual({
      deploymentName: 'chat',
      role: 'chat',
      modelName: 'gpt-4o',
      modelVersion: '2024-11-20',
      dimensions: undefined,
      skuName: 'GlobalStandard',
    });
    expect(deployment.fineTuned).toBe(false);
    expect(deployment.contentFilterName).toBe('strict');
  });

  test('all props: provisioned capacity in PTU, upgrade option, explicit opt-out to the Microsoft default, dependsOn', () => {
    // GIVEN
    const stack = modelStack();
    const before = new ContentFilterPolicy(stack, 'Before', { account, name: 'before' });

    // WHEN
    const deployment = new ModelDeployment(stack, 'Chat', {
      account,
      name: 'chat-ptu',
      role: 'chat',
      model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' },
      sku: 'ProvisionedManaged',
      provisionedThroughputUnits: 100,
      versionUpgradeOption: 'NoAutoUpgrade',
      contentFilter: MICROSOFT_DEFAULT_CONTENT_FILTER,
      dependsOn: [before.policy],
    });
    const resource = onlyOf(synth(stack), 'azurerm_cognitive_deployment');

    // THEN
    expect(resource.sku).toEqual({ name: 'ProvisionedManaged', capacity: 100 });
    expect(resource.version_upgrade_option).toBe('NoAutoUpgrade');
    expect(resource.rai_policy_name).toBe('Microsoft.DefaultV2');
    expect(resource.depends_on).toEqual(['azapi_resource.Before']);
    expect(deployment.info.skuName).toBe('ProvisionedManaged');
    expect(deployment.contentFilterName).toBe(MICROSOFT_DEFAULT_CONTENT_FILTER);
  });

  test('an embedding deployment exposes its vector dimensions: native size by default, or the declared one', () => {
    // GIVEN / WHEN
    const native = build({
      name: 'embedding',
      role: 'embedding',
      model: { name: 'text-embedding-3-large', version: '1' },
    }).deployment;
    const shortened = build({
      name: 'embedding-small',
      role: 'embedding',
      model: { name: 'text-embedding-3-large', version: '1' },
      dimensions: 1024,
    }).deployment;
    const other = build({
      name: 'e5',
      role: 'embedding',
      model: { format: 'Microsoft', name: 'multilingual-e5', version: '1' },
      dimensions: 768,
    }).deployment;

    // THEN
    expect(native.info.dimensions).toBe(3072);
    expect(shortened.info.dimensions).toBe(1024);
    expect(other.info.dimensions).toBe(768);
  });

  test('a fine-tuned model deploys by its model id, format OpenAI, version 1, with its own SKU and capacity', () => {
    // GIVEN / WHEN
    const { stack, deployment } = build({
      name: 'support-bot',
      model: { name: 'gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef', version: '1' },
      sku: 'Standard',
      capacityThousandTokensPerMinute: 10,
    });
    const resource = onlyOf(synth(stack), 'azurerm_cognitive_deployment');

    // THEN
    expect(deployment.fineTuned).toBe(true);
    expect(resource.model).toEqual({
      format: 'OpenAI',
      name: 'gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef',
      version: '1',
    });
    expect(resource.sku).toEqual({ name: 'Standard', capacity: 10 });
  });

  test('snapshot of the deployment resource', () => {
    const { stack } = build();
    const deployment = onlyOf(synth(stack), 'azurerm_cognitive_deployment');
    expect(deployment).toMatchObject({ name: 'chat', rai_policy_name: 'strict' });
    expect(deployment).toMatchSnapshot();
  });

  describe('validation', () => {
    const fails = (props: Partial<ModelDeploymentProps>) => problemsOf(() => build(props));

    test('fails when the deployment name is invalid', () => {
      expect(fails({ name: 'chat deployment' })).toEqual([
        'props.name: "chat deployment" is not a valid deployment name: 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit',
      ]);
    });

    test('fails when the version is missing', () => {
      expect(fails({ model: { name: 'gpt-4o', version: ' ' } })).toEqual([
        'props.model.version: is required: pin the model version (e.g. "2024-11-20", or "1" for fine-tuned models); versions never float',
      ]);
    });

    test('fails when a fine-tuned model has another format than OpenAI', () => {
      expect(
        fails({ model: { format: 'Meta', name: 'gpt-4o-mini-2024-07-18.ft-abc123', version: '1' } }),
      ).toEqual([
        'props.model.format: "Meta" is not possible for fine-tuned model "gpt-4o-mini-2024-07-18.ft-abc123": fine-tuned models have format "OpenAI"',
      ]);
    });

    test('fails when the role is unknown', () => {
      expect(fails({ role: 'completion' as never })).toEqual([
        'props.role: "completion" is not one of chat, embedding',
      ]);
    });

    test('fails when the version upgrade option is unknown', () => {
      expect(fails({ versionUpgradeOption: 'Always' as never })).toEqual([
        'props.versionUpgradeOption: "Always" is not one of NoAutoUpgrade, OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired',
      ]);
    });

    test('fails when the SKU is unknown', () => {
      expect(fails({ sku: 'Premium' as never })).toEqual([
        'props.sku: "Premium" is not one of Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged, GlobalProvisionedManaged, DataZoneProvisionedManaged, GlobalBatch',
      ]);
    });

    test('fails when the capacity for the SKU is missing', () => {
      expect(fails({ capacityThousandTokensPerMinute: undefined })).toEqual([
        'props.capacityThousandTokensPerMinute: is required for GlobalStandard deployments',
      ]);
    });

    test('fails when the capacity is given in the unit of another SKU', () => {
      expect(fails({ provisionedThroughputUnits: 50 })).toEqual([
        'props.provisionedThroughputUnits: does not apply to GlobalStandard deployments: set capacityThousandTokensPerMinute instead',
      ]);
    });

    test('fails when a standard capacity is below 1 thousand tokens per minute', () => {
      expect(fails({ capacityThousandTokensPerMinute: 0 })).toEqual([
        'props.capacityThousandTokensPerMinute: 0 is too small for GlobalStandard: at least 1 (thousand tokens per minute)',
      ]);
    });

    test('fails when a capacity is not a whole number', () => {
      expect(fails({ capacityThousandTokensPerMinute: 2.5 })).toEqual([
        'props.capacityThousandTokensPerMinute: 2.5 is not a whole number',
      ]);
    });

    test('fails when a regional provisioned deployment is below the model minimum', () => {
      expect(
        fails({
          sku: 'ProvisionedManaged',
          capacityThousandTokensPerMinute: undefined,
          provisionedThroughputUnits: 25,
        }),
      ).toEqual([
        'props.provisionedThroughputUnits: 25 PTU is below the ProvisionedManaged minimum of 50 PTU for gpt-4o',
      ]);
    });

    test('fails when a regional provisioned deployment is not a multiple of the model increment', () => {
      expect(
        fails({
          sku: 'ProvisionedManaged',
          capacityThousandTokensPerMinute: undefined,
          provisionedThroughputUnits: 75,
        }),
      ).toEqual([
        'props.provisionedThroughputUnits: 75 PTU is not a multiple of the ProvisionedManaged increment of 50 PTU for gpt-4o',
      ]);
    });

    test('fails when a global provisioned deployment is below 15 PTU', () => {
      expect(
        fails({
          sku: 'GlobalProvisionedManaged',
          capacityThousandTokensPerMinute: undefined,
          provisionedThroughputUnits: 10,
        }),
      ).toEqual([
        'props.provisionedThroughputUnits: 10 PTU is below the GlobalProvisionedManaged minimum of 15 PTU for gpt-4o',
      ]);
    });

    test('fails when a data zone provisioned deployment is not a multiple of 5 PTU', () => {
      expect(
        fails({
          sku: 'DataZoneProvisionedManaged',
          capacityThousandTokensPerMinute: undefined,
          provisionedThroughputUnits: 17,
        }),
      ).toEqual([
        'props.provisionedThroughputUnits: 17 PTU is not a multiple of the DataZoneProvisionedManaged increment of 5 PTU for gpt-4o',
      ]);
    });

    test('fails when a model without a regional provisioned offer is deployed as ProvisionedManaged', () => {
      expect(
        fails({
          model: { format: 'DeepSeek', name: 'DeepSeek-R1', version: '1' },
          sku: 'ProvisionedManaged',
          capacityThousandTokensPerMinute: undefined,
          provisionedThroughputUnits: 100,
        }),
      ).toEqual([
        'props.sku: ProvisionedManaged is an Azure OpenAI deployment type: DeepSeek models deploy as GlobalStandard, DataZoneStandard, GlobalProvisionedManaged, DataZoneProvisionedManaged',
        'props.provisionedThroughputUnits: DeepSeek-R1 has no regional provisioned (ProvisionedManaged) offer: use GlobalProvisionedManaged or DataZoneProvisionedManaged',
      ]);
    });

    test('fails when the model format is not a publisher AI Services deploys (case matters)', () => {
      expect(fails({ model: { format: 'meta', name: 'Llama-3.3-70B-Instruct', version: '4' } })).toEqual([
        'props.model.format: "meta" is not a model format (publisher) AI Services deploys: one of "OpenAI", "AI21 Labs", "Black Forest Labs", "Cohere", "Core42", "DeepSeek", "Meta", "Microsoft", "Mistral AI", "xAI" (case matters)',
      ]);
    });

    test('fails when a catalog model from another publisher uses an Azure OpenAI-only deployment type', () => {
      expect(fails({ model: { format: 'Microsoft', name: 'Phi-4', version: '7' }, sku: 'Standard' })).toEqual(
        [
          'props.sku: Standard is an Azure OpenAI deployment type: Microsoft models deploy as GlobalStandard, DataZoneStandard, GlobalProvisionedManaged, DataZoneProvisionedManaged',
        ],
      );
    });

    test('fails when an embedding model of unknown size declares no dimensions', () => {
      expect(
        fails({ role: 'embedding', model: { format: 'Cohere', name: 'embed-v-4-0', version: '1' } }),
      ).toEqual([
        'props.dimensions: is required for embedding model "embed-v-4-0": its vector size is not known (known: text-embedding-3-large, text-embedding-3-small, text-embedding-ada-002)',
      ]);
    });

    test('fails when dimensions exceed the native size', () => {
      expect(
        fails({
          role: 'embedding',
          model: { name: 'text-embedding-3-small', version: '1' },
          dimensions: 3072,
        }),
      ).toEqual(['props.dimensions: 3072 exceeds the 1536 dimensions of text-embedding-3-small']);
    });

    test('fails when ada-002 is asked for other dimensions than its fixed size', () => {
      expect(
        fails({
          role: 'embedding',
          model: { name: 'text-embedding-ada-002', version: '2' },
          dimensions: 512,
        }),
      ).toEqual([
        'props.dimensions: 512 is not possible for text-embedding-ada-002: it always returns 1536 dimensions',
      ]);
    });

    test('fails when a chat deployment declares dimensions', () => {
      expect(fails({ dimensions: 1024 })).toEqual([
        'props.dimensions: is set on a chat deployment: dimensions apply to embedding deployments only',
      ]);
    });

    test('fails when no content filter is given', () => {
      expect(fails({ contentFilter: undefined as never })).toEqual([
        'props.contentFilter: is required: pass a ContentFilterPolicy, or "Microsoft.DefaultV2" to opt out explicitly',
      ]);
    });

    test('reports every problem at once', () => {
      expect(
        fails({ name: '-', model: { name: 'gpt-4o', version: '' }, capacityThousandTokensPerMinute: 0 }).map(
          (p) => p.split(': ')[0],
        ),
      ).toEqual(['props.name', 'props.model.version', 'props.capacityThousandTokensPerMinute']);
    });
  });
});
