import type { z } from 'zod';

/**
 * The shape of a zod 4 schema definition, as far as the config code walks it (the "unknown key" hints of
 * `load.ts`, the cloud blocks of `clouds.ts`): objects, records, arrays, and the wrappers around them.
 */
export interface SchemaNode {
  readonly def: {
    readonly type: string;
    readonly shape?: Readonly<Record<string, SchemaNode>>;
    readonly innerType?: SchemaNode;
    readonly valueType?: SchemaNode;
    readonly element?: SchemaNode;
    readonly in?: SchemaNode;
  };
}

/** The node under optional, default and pipe wrappers. */
export function unwrap(node: SchemaNode | z.ZodType | undefined): SchemaNode | undefined {
  let n = node as SchemaNode | undefined;
  while (n && (n.def.innerType || n.def.type === 'pipe')) n = n.def.innerType ?? n.def.in;
  return n;
}
