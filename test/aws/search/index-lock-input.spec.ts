import { bedrockRagIndex, openSearchLockDefinition } from '../../../constructs/aws/search';
import { compareWithLock, emptyLock, lockEntryFor, updateLock } from '../../../constructs/search/index-lock';
import type { SearchIndexDefinition } from '../../../constructs/search/index-schema';

function withHnsw(
  def: SearchIndexDefinition,
  change: { m?: number; efSearch?: number },
): SearchIndexDefinition {
  const vs = def.vectorSearch!;
  return { ...def, vectorSearch: { ...vs, algorithms: { hnsw: { ...vs.algorithms.hnsw, ...change } } } };
}

describe('openSearchLockDefinition', () => {
  const deployed = bedrockRagIndex('docs-v1', 1024);
  const lock = updateLock(emptyLock(), 'aws-dev', [openSearchLockDefinition(deployed)]);

  test('records the OpenSearch method of each vector field as its profile', () => {
    expect(
      lockEntryFor(openSearchLockDefinition(deployed)).fields.find((f) => f.name === 'contentVector'),
    ).toEqual({
      name: 'contentVector',
      type: 'Collection(Edm.Single)',
      dimensions: 1024,
      vectorSearchProfile: 'faiss-hnsw-l2-m4-efc400',
      key: false,
      searchable: true,
      filterable: false,
      sortable: false,
      facetable: false,
    });
  });

  test('a changed HNSW m is a breaking change on AWS', () => {
    const problems = compareWithLock(
      'aws-dev',
      'docs-v1',
      openSearchLockDefinition(withHnsw(deployed, { m: 8 })),
      lock,
    );
    expect(problems.map((p) => p.path)).toEqual([
      'environments.aws-dev.docs-v1.fields.contentVector.vectorSearchProfile',
    ]);
    expect(problems[0]!.message).toMatch(
      /^aws-dev\/docs-v1: field "contentVector": vector profile changed from "faiss-hnsw-l2-m4-efc400" to "faiss-hnsw-l2-m8-efc400"\. /,
    );
  });

  test('efSearch (a dynamic index setting) and the unchanged definition pass', () => {
    expect(compareWithLock('aws-dev', 'docs-v1', openSearchLockDefinition(deployed), lock)).toEqual([]);
    expect(
      compareWithLock(
        'aws-dev',
        'docs-v1',
        openSearchLockDefinition(withHnsw(deployed, { efSearch: 800 })),
        lock,
      ),
    ).toEqual([]);
  });

  test('the Azure lock rules still apply: a removed field is breaking', () => {
    const def = { ...deployed, fields: deployed.fields.filter((f) => f.name !== 'page') };
    expect(
      compareWithLock('aws-dev', 'docs-v1', openSearchLockDefinition(def), lock).map((p) => p.path),
    ).toEqual(['environments.aws-dev.docs-v1.fields.page']);
  });
});
