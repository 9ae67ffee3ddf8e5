import { isBlindIndexColumn } from '@joinery/forms';
import { JoineryError } from '@joinery/shared';
import type { ColumnField } from '../metadata/form-table.ts';

const EQUALITY = new Set(['==', '===', '!=', '!==']);

/** A sensitive field a filter may name, by its path (`id_number`, `customer.id_number`). */
export interface SensitivePath {
  readonly column: ColumnField;
  /** The path of its blind index in the filter schema (`customer.id_number__bidx`). */
  readonly indexPath: string;
}

/** The refusal of any use of an encrypted field other than equality with a value. */
export function encryptedQueryError(field: string): JoineryError {
  return new JoineryError('JNY_FIELD_ENCRYPTED_QUERY', { field: field.slice(0, 64) });
}

/**
 * The keyed hash a filter value is compared with: the value normalised as the field type
 * stores it (a phone's separators dropped, an ID's `x` upper-cased), so the filter matches what
 * a write stored. A value the type refuses gets the hash of its text, which matches nothing.
 */
export function blindIndexOf(column: ColumnField, value: unknown): string | null {
  if (value === null) return null;
  const text = String(value);
  const normalised = column.bound.normalise(text);
  const plain = normalised.ok && typeof normalised.value === 'string' ? normalised.value : text;
  return column.sensitive?.codec.index(plain) ?? null;
}

function literal(node: unknown): node is string | number | null {
  return node === null || typeof node === 'string' || typeof node === 'number';
}

function varPath(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const entries = Object.entries(node);
  if (entries.length !== 1 || entries[0]?.[0] !== 'var') return undefined;
  const path = Array.isArray(entries[0][1]) ? entries[0][1][0] : entries[0][1];
  return typeof path === 'string' ? path : undefined;
}

/**
 * Rewrites a JSON-logic filter so that equality (`==`, `!=`, `in` a list of values) on a
 * sensitive field compares its blind index with the keyed hash of the value. Any other use of a
 * sensitive field — ranges, `like`-style operators, comparing two fields, arithmetic — is
 * refused with `JNY_FIELD_ENCRYPTED_QUERY`, since its column holds only ciphertext. Blind-index
 * paths themselves may not be named by a client.
 */
export function blindIndexFilter(
  logic: unknown,
  sensitive: ReadonlyMap<string, SensitivePath>,
): unknown {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [operator, args] = entries[0] ?? [];
    if (entries.length !== 1 || operator === undefined) return node;
    if (operator === 'var') {
      const path = varPath(node) ?? '';
      if (sensitive.has(path)) throw encryptedQueryError(path);
      if (isBlindIndexColumn(path.split('.').pop() ?? '')) throw encryptedQueryError(path);
      return node;
    }
    if (Array.isArray(args) && args.length === 2) {
      const rewritten =
        equality(operator, args[0], args[1]) ?? equality(operator, args[1], args[0]);
      if (rewritten) return rewritten;
    }
    return { [operator]: visit(args) };
  };
  const equality = (operator: string, field: unknown, value: unknown): unknown => {
    const target = sensitive.get(varPath(field) ?? '');
    if (!target) return undefined;
    const indexVar = { var: target.indexPath };
    if (EQUALITY.has(operator) && literal(value)) {
      return { [operator]: [indexVar, blindIndexOf(target.column, value)] };
    }
    if (operator === 'in' && Array.isArray(value) && value.every(literal)) {
      return { in: [indexVar, value.map((item) => blindIndexOf(target.column, item))] };
    }
    return undefined;
  };
  return visit(logic);
}
