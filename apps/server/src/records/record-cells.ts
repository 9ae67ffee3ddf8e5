import type { CompiledField } from '@joinery/forms';

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', '是', '对', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', '否', '错', 'f']);
const LIST_TYPES = new Set(['multiselect']);
const JSON_TYPES = new Set(['attachment', 'image', 'subform']);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A spreadsheet cell (CSV text, or what exceljs reads: text, number, boolean, Date) as the
 * input value of a field, before the form's validator normalises and checks it. Only the
 * spelling changes here (a checkbox's "是", a multi-select's "a;b", an Excel date); every rule
 * is still the validator's. Empty cells are null.
 */
export function cellToValue(field: CompiledField, cell: unknown): unknown {
  if (cell === null || cell === undefined) return null;
  const type = field.definition.type;
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return String(cell);
    if (type === 'date') {
      return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`;
    }
    return cell.toISOString();
  }
  if (typeof cell === 'number') {
    if (type === 'money' || type === 'percent' || type === 'text') return String(cell);
    return cell;
  }
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'object') return cellToValue(field, richText(cell));
  const text = String(cell).trim();
  if (text === '') return null;
  if (type === 'checkbox') {
    const word = text.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return text;
  }
  if (type === 'number') return text;
  if (LIST_TYPES.has(type) || (type === 'relation' && field.definition.config?.multiple === true)) {
    return text
      .split(/[;,；，]/)
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (JSON_TYPES.has(type) && (text.startsWith('[') || text.startsWith('{'))) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** exceljs gives rich text, hyperlinks and formula results as objects: their text. */
function richText(cell: object): string {
  if ('richText' in cell && Array.isArray(cell.richText)) {
    return cell.richText.map((part: { text?: unknown }) => String(part.text ?? '')).join('');
  }
  if ('text' in cell) return String(cell.text);
  if ('result' in cell) return String(cell.result);
  return '';
}

/** A stored value as an export cell: lists joined by `;`, rows and files as JSON text. */
export function valueToCell(
  field: CompiledField,
  value: unknown,
): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  const type = field.definition.type;
  if (Array.isArray(value) && !JSON_TYPES.has(type)) return value.join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
