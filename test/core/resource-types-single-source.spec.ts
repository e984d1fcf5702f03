import { join } from 'node:path';
import { findStatefulDeclarations, findTypeLists, readSource, sourceFiles } from '../helpers/type-lists';

const REPO = join(__dirname, '..', '..');

/** Where per-resource-type facts live (the reader, its schema, the data); nothing else may list resource types. */
const REGISTRY = ['constructs/core/resource-types.ts', 'constructs/core/resource-types-schema.ts'];

/**
 * Files that may hold literal lists of 3+ `azurerm_*` types, how many, and why. Each is a fact of one rule
 * or construct about its own arguments, not one of the registry's facts (stateful, prevent_destroy, lock,
 * diagnostics, private DNS zones, force-new arguments). A new list anywhere else, or one more list in
 * these files, fails: put the fact in the registry, or add it here with its reason.
 */
const ALLOWED: Readonly<Record<string, { readonly lists: number; readonly reason: string }>> = {
  'constructs/monitoring/baseline-catalog-types.ts': {
    lists: 1,
    reason: 'the union of types the baseline catalog covers, which types its data file by key',
  },
  'constructs/policy/rules/budget-start-date.ts': {
    lists: 1,
    reason: 'the three azurerm budget types sharing one schema: the scope of the rule, deployed or not',
  },
  'constructs/policy/rules/cmk.ts': {
    lists: 1,
    reason: 'which types must be encrypted with a customer-managed key; the rule reads each one differently',
  },
  'constructs/policy/rules/local-auth-disabled.ts': {
    lists: 1,
    reason: 'per type, the argument and value that switch key authentication off',
  },
  'constructs/policy/rules/managed-identity.ts': {
    lists: 1,
    reason: 'the types that call other services and so need a managed identity',
  },
  'constructs/policy/rules/public-network-access.ts': {
    lists: 1,
    reason: 'per type, the argument and value that close public network access',
  },
  'constructs/policy/rules/storage-data-plane-reachable.ts': {
    lists: 2,
    reason:
      'storage child types by how azurerm reaches them (management plane by account id, data plane only)',
  },
};

const files = sourceFiles(REPO, ['constructs', 'lib', 'bin']).filter((f) => !REGISTRY.includes(f));

describe('one home for resource-type facts (constructs/core/resource-types)', () => {
  test('no list of three or more resource types outside the registry, but the allowed ones', () => {
    // GIVEN every source file of the app, the libraries and the constructs (tests may list types)
    expect(files.length).toBeGreaterThan(100);
    // WHEN counting their literal lists of resource types
    const counts: Record<string, number> = {};
    const where: string[] = [];
    for (const file of files) {
      for (const list of findTypeLists(readSource(REPO, file), file)) {
        counts[file] = (counts[file] ?? 0) + 1;
        if (!ALLOWED[file]) where.push(`${file}:${list.line} ${list.types.join(', ')}`);
      }
    }
    // THEN only the allowed files have them, each no more than allowed
    expect(where).toEqual([]);
    expect(counts).toEqual(Object.fromEntries(Object.entries(ALLOWED).map(([f, a]) => [f, a.lists])));
  });

  test('every allowed exception carries its reason', () => {
    for (const [file, { reason }] of Object.entries(ALLOWED)) {
      expect({ file, reason: reason.length >= 40 }).toEqual({ file, reason: true });
    }
  });

  test('no variable named for stateful types outside the registry (a second STATEFUL_TYPES)', () => {
    const found = files.flatMap((file) => findStatefulDeclarations(readSource(REPO, file), file));
    expect(found).toEqual([]);
  });
});

describe('findTypeLists', () => {
  const lists = (source: string) => findTypeLists(source, 'x.ts').map((l) => [l.line, l.types]);

  test('finds a Set, an array and an object keyed by type, quoted or not', () => {
    const source = [
      "const A = new Set(['azurerm_a', 'azurerm_b', 'azurerm_c']);",
      'const B = {',
      '  azurerm_a: 1,',
      "  'azurerm_b': 2,",
      '  azurerm_c: { x: 1 },',
      '};',
      "const C = ['azurerm_a',",
      "  // 'azurerm_z', a comment is no entry",
      "  'azurerm_b', 'azurerm_c'];",
    ].join('\n');
    expect(lists(source)).toEqual([
      [1, ['azurerm_a', 'azurerm_b', 'azurerm_c']],
      [2, ['azurerm_a', 'azurerm_b', 'azurerm_c']],
      [7, ['azurerm_a', 'azurerm_b', 'azurerm_c']],
    ]);
  });

  test('ignores types used as values: switch labels, call arguments, comparisons, one per nested object', () => {
    const source = [
      'switch (t) {',
      "  case 'azurerm_a': return 1;",
      "  case 'azurerm_b': return 2;",
      "  case 'azurerm_c': return 3;",
      '}',
      "const ids = { a: idsOf('azurerm_a'), b: idsOf('azurerm_b'), c: idsOf('azurerm_c') };",
      "if (t === 'azurerm_a' || t === 'azurerm_b' || t === 'azurerm_c') {}",
      "const rows = [{ type: 'azurerm_a' }, { type: 'azurerm_b' }, { type: 'azurerm_c' }];",
      "const text = `'azurerm_a', 'azurerm_b', 'azurerm_c'`;",
      "const two = ['azurerm_a', 'azurerm_b', 'azurerm_a'];",
    ].join('\n');
    expect(lists(source)).toEqual([]);
  });

  test('finds variables named for stateful types, not functions that ask the registry', () => {
    const source = [
      'export const STATEFUL_TYPES = new Set([]);',
      'let statefulKinds = [];',
      'export function isStateful() {}',
    ].join('\n');
    expect(findStatefulDeclarations(source, 'x.ts').map((d) => d.name)).toEqual([
      'STATEFUL_TYPES',
      'statefulKinds',
    ]);
  });
});
