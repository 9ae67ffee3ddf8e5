/**
 * Serial number patterns such as `LA-{YYYYMMDD}-{counter:4}`: literal text, date tokens
 * (`{YYYY}`, `{YY}`, `{MM}`, `{DD}`, `{YYYYMM}`, `{YYYYMMDD}`) and exactly one
 * `{counter:N}` (N = 1–12 digits, zero-padded; a larger counter keeps all its digits).
 *
 * The counter restarts whenever the rendered date part changes: the pattern with its counter
 * taken out, rendered for a date, is the counter's *scope*. The server keeps one counter row per
 * (form field, scope) and increments it inside the insert's transaction, which is what makes
 * numbers unique under concurrency; this module only parses and formats.
 */
export type SerialToken =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'date'; readonly format: 'YYYY' | 'YY' | 'MM' | 'DD' | 'YYYYMM' | 'YYYYMMDD' }
  | { readonly kind: 'counter'; readonly width: number };

const TOKEN = /\{([A-Za-z]+)(?::(\d{1,2}))?\}/g;
const DATE_FORMATS = ['YYYY', 'YY', 'MM', 'DD', 'YYYYMM', 'YYYYMMDD'] as const;
const LITERAL = /^[A-Za-z0-9_.\-/#]*$/;

/** The JSON-schema pattern a serial pattern must match before `parseSerialPattern` runs. */
export const SERIAL_PATTERN_SHAPE = '^[A-Za-z0-9_.\\-/#{}:]{1,64}$';

/** Parses a pattern, or returns the reason it is refused. */
export function parseSerialPattern(
  pattern: string,
):
  | { readonly ok: true; readonly tokens: readonly SerialToken[] }
  | { readonly ok: false; readonly reason: string } {
  if (pattern.length === 0 || pattern.length > 64) return { ok: false, reason: 'length 1–64' };
  const tokens: SerialToken[] = [];
  let last = 0;
  let counters = 0;
  for (const match of pattern.matchAll(TOKEN)) {
    const literal = pattern.slice(last, match.index);
    if (!LITERAL.test(literal)) return { ok: false, reason: `bad literal "${literal}"` };
    if (literal) tokens.push({ kind: 'literal', text: literal });
    const [, name = '', width] = match;
    const format = DATE_FORMATS.find((candidate) => candidate === name);
    if (name === 'counter') {
      const digits = Number(width ?? '4');
      if (digits < 1 || digits > 12) return { ok: false, reason: 'counter width 1–12' };
      tokens.push({ kind: 'counter', width: digits });
      counters += 1;
    } else if (format && width === undefined) {
      tokens.push({ kind: 'date', format });
    } else {
      return { ok: false, reason: `unknown token {${name}}` };
    }
    last = match.index + match[0].length;
  }
  const tail = pattern.slice(last);
  if (!LITERAL.test(tail)) return { ok: false, reason: `bad literal "${tail}"` };
  if (tail) tokens.push({ kind: 'literal', text: tail });
  if (counters !== 1) return { ok: false, reason: 'exactly one {counter:N}' };
  return { ok: true, tokens: Object.freeze(tokens) };
}

/** A local calendar date `YYYY-MM-DD`: the caller picks the time zone (the app's, usually). */
export type LocalDate = string;

function renderDate(format: string, date: LocalDate): string {
  const [year = '', month = '', day = ''] = date.split('-');
  return format
    .replace('YYYY', year)
    .replace('YY', year.slice(2))
    .replace('MM', month)
    .replace('DD', day);
}

function tokensOf(pattern: string): readonly SerialToken[] {
  const parsed = parseSerialPattern(pattern);
  if (!parsed.ok) throw new Error(`Invalid serial pattern ${pattern}: ${parsed.reason}`);
  return parsed.tokens;
}

/** Renders the serial number for a date and a counter value (1, 2, …). */
export function formatSerial(pattern: string, date: LocalDate, counter: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`Not a YYYY-MM-DD date: ${date}`);
  if (!Number.isSafeInteger(counter) || counter < 1) throw new Error(`Bad counter ${counter}`);
  return tokensOf(pattern)
    .map((token) =>
      token.kind === 'literal'
        ? token.text
        : token.kind === 'date'
          ? renderDate(token.format, date)
          : String(counter).padStart(token.width, '0'),
    )
    .join('');
}

/**
 * The counter scope for a date: the pattern rendered without its counter. Two dates share a
 * counter exactly when they share a scope (`LA-{YYYYMMDD}-…` restarts daily, `{YYYYMM}` monthly,
 * a pattern without a date never restarts).
 */
export function serialCounterScope(pattern: string, date: LocalDate): string {
  return tokensOf(pattern)
    .map((token) =>
      token.kind === 'literal'
        ? token.text
        : token.kind === 'date'
          ? renderDate(token.format, date)
          : '{n}',
    )
    .join('');
}
