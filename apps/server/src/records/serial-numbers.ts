import { formatSerial, parseSerialPattern, serialCounterScope } from '@joinery/forms';
import { calendarDate } from '@joinery/rules';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { DEFAULT_UTC_OFFSET_MINUTES } from '../clock/clock.ts';
import type { Queryable } from './record-reader.ts';

/**
 * The next serial number of a field for a local date. The counter row is inserted or
 * incremented with `INSERT … ON CONFLICT DO UPDATE … RETURNING` inside the record's
 * transaction: the row stays locked until that transaction ends, so concurrent creates queue on
 * it and never share a number, and a rolled-back create gives its number back.
 */
export async function nextSerial(
  trx: Queryable,
  formId: string,
  fieldId: string,
  pattern: string,
  localDate: string,
): Promise<string> {
  const scope = serialCounterScope(pattern, localDate);
  const result = await sql<{ value: string | number }>`
    insert into joinery.serial_counters (form_id, field_id, scope, value)
    values (${formId}, ${fieldId}, ${scope}, 1)
    on conflict (form_id, field_id, scope)
    do update set value = joinery.serial_counters.value + 1
    returning value`.execute(trx);
  const value = Number(result.rows[0]?.value ?? 1);
  return formatSerial(pattern, localDate, value);
}

/**
 * The business day of a write (`JOINERY_UTC_OFFSET_MINUTES`, Beijing when absent) for serial
 * number patterns — the day `today` is in rules, whatever the server process's `TZ`.
 */
export function serialDate(context: { readonly now: Date; readonly utcOffsetMinutes?: number }) {
  return calendarDate(
    context.now.getTime(),
    context.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES,
  );
}

/**
 * The next serial number as a statement for a data-modifying CTE: increments the counter row
 * (locked until the transaction ends, as in `nextSerial`) and returns the formatted number as
 * `v` — only `when` the condition holds (else it touches nothing and returns no row). Literal and date parts are rendered here and travel as parameters; the counter is padded
 * in SQL to the pattern's width (a larger counter keeps all its digits, as `formatSerial` does).
 */
export function serialStatement(
  formId: string,
  fieldId: string,
  pattern: string,
  localDay: string,
  when: RawBuilder<SqlBool> = sql<SqlBool>`true`,
): RawBuilder<unknown> {
  const parsed = parseSerialPattern(pattern);
  if (!parsed.ok) throw new Error(`Invalid serial pattern ${pattern}: ${parsed.reason}`);
  const scope = serialCounterScope(pattern, localDay);
  const parts = parsed.tokens.map((token) => {
    if (token.kind === 'counter') {
      return sql`(case when length(value::text) >= ${token.width}::int then value::text
                  else lpad(value::text, ${token.width}::int, '0') end)`;
    }
    const text =
      token.kind === 'literal'
        ? token.text
        : formatSerial(`{${token.format}}{counter:1}`, localDay, 1).slice(0, -1);
    return sql`${text}::text`;
  });
  return sql`insert into joinery.serial_counters (form_id, field_id, scope, value)
    select ${formId}, ${fieldId}, ${scope}, 1 where ${when}
    on conflict (form_id, field_id, scope)
    do update set value = joinery.serial_counters.value + 1
    returning ${sql.join(parts, sql` || `)} as v`;
}
