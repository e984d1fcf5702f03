/**
 * Field type names: the friendly names of the definition (`string`, `collection(single)`) and the Entity Data
 * Model names the REST API uses (`Edm.String`, `Collection(Edm.Single)`), and what kind of field each is.
 */

import { type EdmFieldType, SCALAR_FIELD_TYPES, VECTOR_ELEMENT_TYPES } from './definition';

const FRIENDLY_TO_EDM: ReadonlyMap<string, EdmFieldType> = (() => {
  const map = new Map<string, EdmFieldType>();
  for (const [friendly, edm] of Object.entries(SCALAR_FIELD_TYPES)) {
    map.set(friendly, edm);
    map.set(edm, edm);
    map.set(`collection(${friendly})`, `Collection(${edm})`);
    map.set(`Collection(${edm})`, `Collection(${edm})`);
  }
  for (const [friendly, edm] of Object.entries(VECTOR_ELEMENT_TYPES)) {
    map.set(`collection(${friendly})`, `Collection(${edm})`);
    map.set(`Collection(${edm})`, `Collection(${edm})`);
  }
  return map;
})();

/** The EDM type name for a field type (friendly or EDM), or `undefined` if it is not a field type. */
export function toEdmType(type: string): EdmFieldType | undefined {
  return FRIENDLY_TO_EDM.get(type);
}

const VECTOR_EDM_TYPES: ReadonlySet<string> = new Set(
  Object.values(VECTOR_ELEMENT_TYPES).map((edm) => `Collection(${edm})`),
);

/** Whether an EDM type is a vector type (`Collection(Edm.Single)`, `Collection(Edm.Half)`, ...). */
export function isVectorEdmType(edm: string): boolean {
  return VECTOR_EDM_TYPES.has(edm);
}

/** Whether an EDM type is a complex type or a collection of them. */
export function isComplexEdmType(edm: string): boolean {
  return edm === 'Edm.ComplexType' || edm === 'Collection(Edm.ComplexType)';
}

/** Whether an EDM type is a collection. */
export function isCollectionEdmType(edm: string): boolean {
  return edm.startsWith('Collection(');
}

/** Whether an EDM type is a string or a collection of strings. */
export function isStringEdmType(edm: string): boolean {
  return edm === 'Edm.String' || edm === 'Collection(Edm.String)';
}
