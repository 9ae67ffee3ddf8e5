/**
 * A value in the text format of `COPY … FROM STDIN`: `\N` for null, arrays as Postgres array
 * literals, objects as JSON, everything else as its string; backslash, newline, carriage return
 * and tab escaped, so a value never ends its field or line early.
 */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (Array.isArray(value)) {
    return copyEscape(
      `{${value.map((item) => `"${String(item).replace(/["\\]/g, '\\$&')}"`).join(',')}}`,
    );
  }
  if (typeof value === 'object') return copyEscape(JSON.stringify(value));
  return copyEscape(String(value));
}

const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function copyEscape(text: string): string {
  // Most values hold none of the four characters: testing first skips building a new string.
  return SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c] ?? c) : text;
}
