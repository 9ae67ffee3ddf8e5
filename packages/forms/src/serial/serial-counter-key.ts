import type { FieldDefinition } from '../schema/app-definition.ts';
import { type LocalDate, serialCounterScope } from './serial-pattern.ts';

/**
 * The key of the counter row a serial number draws from: app, form, the field's stable id
 * (so a rename keeps counting) and the pattern's date scope (so `{YYYYMMDD}` restarts daily).
 * The server increments `counter[key]` with `insert … on conflict do update … returning` in
 * the record's transaction, then calls `formatSerial(pattern, date, value)`; the unique index
 * the publish plan puts on every serial column is the last line of defence.
 */
export function serialCounterKey(
  appKey: string,
  formKey: string,
  field: FieldDefinition,
  date: LocalDate,
): string {
  const pattern = typeof field.config?.pattern === 'string' ? field.config.pattern : '{counter:6}';
  return `${appKey}/${formKey}/${field.id}/${serialCounterScope(pattern, date)}`;
}
