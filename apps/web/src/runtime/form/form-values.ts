import dayjs, { type Dayjs } from 'dayjs';
import type { RuntimeField } from '../field-model.ts';

/** Field values as the form's inputs hold them (dates as dayjs, empty as undefined). */
export type FormValues = Record<string, unknown>;

/**
 * A stored value as its input holds it: dates and date-times become dayjs, subform rows keep
 * their values converted field by field; everything else is the value itself.
 */
export function toFormValue(
  field: RuntimeField,
  value: unknown,
  rowFields?: readonly RuntimeField[],
): unknown {
  if (value === null || value === undefined) return undefined;
  switch (field.type) {
    case 'date':
    case 'datetime':
      return typeof value === 'string' ? dayjs(value) : undefined;
    case 'subform':
      return Array.isArray(value)
        ? value.map((row: Record<string, unknown>) => toFormValues(rowFields ?? [], row, true))
        : [];
    default:
      return value;
  }
}

/**
 * An input's value as the API takes it: dayjs to `YYYY-MM-DD` or a UTC ISO string, blank text
 * to null, numbers kept, money and percent as the decimal strings the inputs produce.
 */
export function toWireValue(
  field: RuntimeField,
  value: unknown,
  rowFields?: readonly RuntimeField[],
): unknown {
  if (value === undefined || value === null) return null;
  if (dayjs.isDayjs(value)) {
    const date = value as Dayjs;
    return field.type === 'date' ? date.format('YYYY-MM-DD') : date.toISOString();
  }
  if (typeof value === 'string' && value.trim() === '') return null;
  if (Array.isArray(value) && field.type === 'multiselect' && value.length === 0) return null;
  if (field.type === 'subform') {
    return Array.isArray(value)
      ? value.map((row: FormValues) => toWireValues(rowFields ?? [], row ?? {}, true))
      : [];
  }
  if (field.type === 'attachment' || field.type === 'image') {
    if (!Array.isArray(value) || value.length === 0) return null;
    // Only what the record keeps of an upload: the engine refuses any other key.
    return value.map((file: { id: string; name: string; size: number; mime: string }) => ({
      id: file.id,
      name: file.name,
      size: file.size,
      mime: file.mime,
    }));
  }
  return value;
}

/** A record's stored values as the form's initial values. */
export function toFormValues(
  fields: readonly RuntimeField[],
  values: Readonly<Record<string, unknown>>,
  keepId = false,
): FormValues {
  const out: FormValues = {};
  if (keepId && typeof values.id === 'string') out.id = values.id;
  for (const field of fields) {
    out[field.key] = toFormValue(field, values[field.key], subformFields(field));
  }
  return out;
}

/**
 * The form's input values as record values for the API: only fields that take input, blank
 * ones as null. Subform rows keep their `id`, so the server updates rows instead of replacing.
 */
export function toWireValues(
  fields: readonly RuntimeField[],
  values: FormValues,
  keepId = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (keepId && typeof values.id === 'string') out.id = values.id;
  for (const field of fields) {
    if (!field.input) continue;
    out[field.key] = toWireValue(field, values[field.key], subformFields(field));
  }
  return out;
}

/** The row fields of a subform field (empty for others). */
export function subformFields(field: RuntimeField): readonly RuntimeField[] {
  return field.rows;
}
