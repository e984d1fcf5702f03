/**
 * Reads a JSON string that CloudFormation assembles with `Fn::Join` (an `AwsCustomResource` call, a resource
 * policy document) back into an object: each intrinsic becomes a readable placeholder (`<Ref:Bucket>`,
 * `<Role.Arn>`, `<AWS::AccountId>`), so a test can compare the whole value with `toEqual`.
 */
export function parseJoinedJson(value: unknown): unknown {
  return JSON.parse(joinedText(value));
}

function joinedText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a string or Fn::Join: ${JSON.stringify(value)}`);
  return join[1].map((part) => (typeof part === 'string' ? part : placeholder(part))).join(join[0]);
}

function placeholder(part: unknown): string {
  const ref = (part as { Ref?: string }).Ref;
  if (ref !== undefined) return ref.startsWith('AWS::') ? `<${ref}>` : `<Ref:${ref}>`;
  const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) return `<${getAtt[0]}.${getAtt[1]}>`;
  throw new Error(`unexpected intrinsic: ${JSON.stringify(part)}`);
}
