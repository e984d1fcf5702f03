import { TerraformVariable } from 'cdktf';
import { AzapiResource } from '../../constructs/core/azapi';
import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import {
  connectionBody,
  WorkspaceConnection,
  type WorkspaceConnectionProps,
} from '../../constructs/evaluation/workspace-connection';
import { onlyResource, resourcesOf, synthStack, testStack } from '../helpers/synth';

const HUB_ID =
  '/subscriptions/s/resourceGroups/rg-test/providers/Microsoft.MachineLearningServices/workspaces/hub-test';
const SEARCH_ID =
  '/subscriptions/s/resourceGroups/rg-test/providers/Microsoft.Search/searchServices/srch-test';

const REQUIRED: WorkspaceConnectionProps = {
  workspaceResourceId: HUB_ID,
  name: 'ai-search',
  category: 'CognitiveSearch',
  target: 'https://srch-test.search.windows.net',
  resourceId: SEARCH_ID,
};

function problemsOf(props: Partial<WorkspaceConnectionProps>): string[] {
  try {
    new WorkspaceConnection(testStack(), 'Connection', { ...REQUIRED, ...props });
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('WorkspaceConnection', () => {
  test('defaults: an azapi connection on the workspace, Microsoft Entra ID auth, shared with every project', () => {
    // GIVEN only the required props
    const stack = testStack();
    const connection = new WorkspaceConnection(stack, 'Connection', REQUIRED);
    // WHEN synthesized
    const resource = onlyResource(synthStack(stack), 'azapi_resource');
    // THEN no key or credential is sent: the hub's identity signs in (authType AAD)
    expect(resource).toEqual({
      type: 'Microsoft.MachineLearningServices/workspaces/connections@2024-10-01',
      name: 'ai-search',
      parent_id: HUB_ID,
      body: {
        properties: {
          category: 'CognitiveSearch',
          target: 'https://srch-test.search.windows.net',
          authType: 'AAD',
          isSharedToAll: true,
          metadata: { ApiType: 'Azure', ResourceId: SEARCH_ID },
        },
      },
    });
    // AND the handles
    expect(connection.connectionName).toBe('ai-search');
    expect(resolveTokens(stack, connection.resourceId)).toBe(`\${azapi_resource.Connection.id}`);
  });

  test('all props: location in the metadata, and the write waits for dependsOn', () => {
    const stack = testStack();
    const before = new AzapiResource(stack, 'Before', {
      type: 'Microsoft.X/y@2024-01-01',
      name: 'b',
      parentId: '/p',
      body: {},
    });
    new WorkspaceConnection(stack, 'Connection', {
      ...REQUIRED,
      name: 'ai-services',
      category: 'AIServices',
      target: 'https://ais-test.cognitiveservices.azure.com/',
      location: 'swedencentral',
      dependsOn: [before],
    });
    const resource = resourcesOf(synthStack(stack), 'azapi_resource').Connection!;
    expect(resource.depends_on).toEqual(['azapi_resource.Before']);
    expect((resource.body as { properties: { metadata: unknown } }).properties.metadata).toEqual({
      ApiType: 'Azure',
      ResourceId: SEARCH_ID,
      Location: 'swedencentral',
    });
  });

  test('connectionBody writes Location only when given', () => {
    const body = (location?: string) =>
      connectionBody({ category: 'AzureOpenAI', target: 'https://x', resourceId: '/r', location });
    expect(body()).toEqual({
      properties: {
        category: 'AzureOpenAI',
        target: 'https://x',
        authType: 'AAD',
        isSharedToAll: true,
        metadata: { ApiType: 'Azure', ResourceId: '/r' },
      },
    });
    expect((body('westeurope').properties as { metadata: object }).metadata).toEqual({
      ApiType: 'Azure',
      ResourceId: '/r',
      Location: 'westeurope',
    });
  });

  test.each(['-models', 'a', 'ai search', `a${'b'.repeat(64)}`])('fails when the name is %j', (name) => {
    expect(problemsOf({ name })).toEqual([
      `props.name: ${JSON.stringify(name)} is not a valid connection name: 2-64 letters, digits, hyphens and underscores, starting with a letter or digit`,
    ]);
  });

  test('the error names the connection', () => {
    expect(() => new WorkspaceConnection(testStack(), 'Connection', { ...REQUIRED, name: '-' })).toThrow(
      'Invalid WorkspaceConnection "test/Connection"',
    );
  });

  test('accepts a name known only at apply', () => {
    const stack = testStack();
    const name = new TerraformVariable(stack, 'connection_name', { type: 'string' });
    new WorkspaceConnection(stack, 'Connection', { ...REQUIRED, name: name.stringValue });
    expect(onlyResource(synthStack(stack), 'azapi_resource').name).toBe(`\${var.connection_name}`);
  });
});
