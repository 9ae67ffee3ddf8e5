import { Decimal } from 'decimal.js';

/**
 * A model of how Postgres shows (`::text`) and converts values of the field types the publish
 * property test uses — written independently of the planner's SQL, so the test compares two
 * implementations. Values are held as Postgres prints them.
 */
export const MODEL_TYPES = [
  'text',
  'number',
  'money',
  'percent',
  'checkbox',
  'date',
  'datetime',
  'select',
  'multiselect',
  'user',
] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
export const SELECT_OPTIONS = ['a', 'b', 'c'];

type Column =
  | 'text'
  | 'numeric'
  | 'money'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'list'
  | 'uuid';
const COLUMN: Record<ModelType, Column> = {
  text: 'text',
  select: 'text',
  number: 'numeric',
  money: 'money',
  percent: 'percent',
  checkbox: 'boolean',
  date: 'date',
  datetime: 'datetime',
  multiselect: 'list',
  user: 'uuid',
};
const NUMERIC: readonly Column[] = ['numeric', 'money', 'percent'];
/** Integer digits, fraction digits and display scale (null: as written) of numeric columns. */
const NUMERIC_LIMITS: Partial<Record<Column, [number, number, number | null]>> = {
  numeric: [15, 6, null],
  money: [16, 2, 2],
  percent: [5, 4, 4],
};

/** The outcome of converting one value: its new text, a value that does not convert, or no cast. */
export type ModelConversion =
  | { kind: 'ok'; value: string }
  | { kind: 'bad' }
  | { kind: 'unsupported' };

/** Postgres's `btrim(x)`: spaces only. */
const btrim = (text: string) => text.replace(/^ +| +$/g, '');

/** How `numeric` prints a decimal literal: no sign on zero, no leading zeros, scale kept. */
function numericText(literal: string, scale: number | null): string {
  let decimal = new Decimal(literal);
  if (scale !== null) decimal = decimal.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
  const places = scale ?? (literal.split('.')[1] ?? '').length;
  const text = decimal.abs().toFixed(places);
  return decimal.isZero() || decimal.isNegative() === false ? text : `-${text}`;
}

function isCalendarDate(text: string): boolean {
  const match = /^([1-9]\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Applies the target field's own rules to a converted text value. */
function textRules(value: string, to: ModelType): ModelConversion {
  if (to === 'select')
    return SELECT_OPTIONS.includes(value) ? { kind: 'ok', value } : { kind: 'bad' };
  if ([...value].length > 1000 || /[\r\n]/.test(value)) return { kind: 'bad' };
  return { kind: 'ok', value };
}

/** Whether Postgres has a cast the planner may use, whatever the values. */
export function conversionSupported(from: ModelType, to: ModelType): boolean {
  const source = COLUMN[from];
  const target = COLUMN[to];
  if (source === target || target === 'text') return true;
  if (NUMERIC.includes(target)) return source === 'text' || NUMERIC.includes(source);
  if (target === 'datetime') return source === 'date';
  if (target === 'date') return source === 'text' || source === 'datetime';
  return source === 'text';
}

/** How Postgres prints a one-element text array. */
function arrayOf(value: string): string {
  const plain = value !== '' && !/[\s{},"\\]/.test(value) && value.toLowerCase() !== 'null';
  return plain ? `{${value}}` : `{"${value.replace(/(["\\])/g, '\\$1')}"}`;
}

/** The elements of a printed text array of plain option values. */
function elementsOf(value: string): string[] {
  const inner = value.slice(1, -1);
  return inner === '' ? [] : inner.split(',');
}

/** Converts a shown value of a `from` field into a shown value of a `to` field. */
export function convertModel(value: string, from: ModelType, to: ModelType): ModelConversion {
  if (!conversionSupported(from, to)) return { kind: 'unsupported' };
  const source = COLUMN[from];
  const target = COLUMN[to];
  if (target === 'text') {
    if (source === 'datetime') {
      const time = new Date(value.replace(' ', 'T').replace(/\+00$/, 'Z'));
      return textRules(time.toISOString(), to);
    }
    if (source === 'list') {
      const items = elementsOf(value);
      if (items.length > 1) return { kind: 'bad' };
      return items[0] === undefined ? { kind: 'ok', value: '' } : textRules(items[0], to);
    }
    return textRules(value, to);
  }
  const limits = NUMERIC_LIMITS[target];
  if (limits) {
    const [integer, scale, display] = limits;
    let literal: string;
    if (source === 'text') {
      literal = btrim(value);
      const shape = new RegExp(`^[+-]?[0-9]{1,${integer}}(\\.[0-9]{1,${scale}})?$`);
      if (!shape.test(literal)) return { kind: 'bad' };
    } else {
      literal = value;
      const decimal = new Decimal(literal);
      if (decimal.decimalPlaces() > scale || decimal.abs().gte(new Decimal(10).pow(integer))) {
        return { kind: 'bad' };
      }
    }
    return { kind: 'ok', value: numericText(literal, display) };
  }
  if (target === 'boolean') {
    const word = btrim(value).toLowerCase();
    return word === 'true' || word === 'false' ? { kind: 'ok', value: word } : { kind: 'bad' };
  }
  if (target === 'date' && source === 'datetime') {
    return /^\d{4}-\d{2}-\d{2} 00:00:00\+00$/.test(value)
      ? { kind: 'ok', value: value.slice(0, 10) }
      : { kind: 'bad' };
  }
  if (target === 'date') {
    const text = btrim(value);
    return isCalendarDate(text) ? { kind: 'ok', value: text } : { kind: 'bad' };
  }
  if (target === 'datetime') return { kind: 'ok', value: `${value} 00:00:00+00` };
  if (target === 'uuid') {
    const id = btrim(value).toLowerCase();
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
      ? { kind: 'ok', value: id }
      : { kind: 'bad' };
  }
  if (target === 'list') {
    return SELECT_OPTIONS.includes(value) ? { kind: 'ok', value: arrayOf(value) } : { kind: 'bad' };
  }
  return { kind: 'ok', value };
}
