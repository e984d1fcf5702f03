/**
 * A CloudFormation value as one readable string: `{ "Fn::Join": ["", [...]] }` is joined, `{ Ref: X }`
 * becomes `<X>` and `{ "Fn::GetAtt": [R, A] }` becomes `<R.A>`, so tests can compare ARNs exactly.
 */
export function cfnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw new Error(`a list is not one value: ${JSON.stringify(value)}`);
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return `<${v.Ref}>`;
  if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(cfnText).join(separator);
  }
  throw new Error(`not a string value: ${JSON.stringify(value)}`);
}

/** `cfnText` of a value or of each element of a list. */
export function cfnTexts(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(cfnText);
}
