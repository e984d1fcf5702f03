/**
 * A KQL string literal of `value`: double-quoted, with `\` and `"` escaped and the escapes KQL knows for
 * tab, line feed and carriage return; any other control character is refused, so no value can end the
 * literal early and inject query text.
 *
 * @see https://learn.microsoft.com/kusto/query/scalar-data-types/string
 */
export function kqlString(value: string): string {
  const escaped = value.replace(/[\\"\t\n\r]/g, (c) => ESCAPES[c]!);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const control = /[\u0000-\u001f\u007f]/.exec(escaped);
  if (control) {
    throw new Error(
      `${JSON.stringify(value)} holds the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}: it cannot be a KQL string`,
    );
  }
  return `"${escaped}"`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** The KQL that reads a custom dimension of an Application Insights row as a string: `tostring(Properties["x"])`. */
export function kqlProperty(field: string): string {
  return `tostring(Properties[${kqlString(field)}])`;
}
