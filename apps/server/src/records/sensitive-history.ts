import type { PublishedForm } from '../metadata/form-registry.ts';
import type { ColumnField } from '../metadata/form-table.ts';

/** One field's change as the history keeps it. */
interface Change {
  readonly from: unknown;
  readonly to: unknown;
}

function sensitiveColumn(form: PublishedForm, key: string): ColumnField | undefined {
  return form.table.columns.find((column) => column.field.key === key && column.sensitive);
}

/**
 * The changes of a write as the history stores them: values of sensitive fields encrypted like
 * the record's own column, so the history table holds no clear national ID or account number.
 */
export function sealChanges<T extends Change>(
  form: PublishedForm,
  changes: Readonly<Record<string, T>>,
): Record<string, Change> {
  const sealed: Record<string, Change> = {};
  for (const [key, change] of Object.entries(changes)) {
    const codec = sensitiveColumn(form, key)?.sensitive?.codec;
    const seal = (value: unknown) =>
      codec && value !== null && value !== undefined ? codec.seal(String(value)).stored : value;
    sealed[key] = codec ? { from: seal(change.from), to: seal(change.to) } : change;
  }
  return sealed;
}

/** True for a value as `FieldCipher` writes it (`jny1:<key>:…`). */
export function isCiphertext(value: string): boolean {
  return value.startsWith('jny1:');
}

/** The stored changes of a history entry with sensitive values decrypted (masking comes after). */
export function openChanges(
  form: PublishedForm,
  changes: Readonly<Record<string, Change>>,
): Record<string, Change> {
  const opened: Record<string, Change> = {};
  for (const [key, change] of Object.entries(changes)) {
    const column = sensitiveColumn(form, key);
    const open = (value: unknown) =>
      column && typeof value === 'string' && isCiphertext(value)
        ? column.bound.fromDb(value)
        : value;
    opened[key] = column ? { from: open(change.from), to: open(change.to) } : change;
  }
  return opened;
}
