import { fieldPermissionsOf, visibleFields } from '@joinery/workflow';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { type RecordBody, rowToRecord } from '../records/record-values.ts';
import type { InboxItem } from './workflow-inbox.ts';
import type { WorkflowRecordAccess } from './workflow-record-access.ts';
import type { WorkflowServices } from './workflow-services.ts';

/** An inbox line as sent: with what the viewer may read of its record. */
export type InboxLine = Omit<InboxItem, 'definitionId'> & {
  /** The record's fields the viewer may read (personal data masked unless they may unmask it)
   * and, on a task, the step shows; null when the record is gone. */
  record: Record<string, unknown> | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Adds to a page of inbox items the summary of each record, through the record guard: fields
 * the viewer may not read are dropped, personal data masked (clear values audited), lookups
 * shown under the viewer's rights, and a task's line shows only what its step shows. A bounded
 * number of queries per form on the page (`WorkflowRecordAccess.present`), never one per item;
 * lists hold only records the viewer may view (`viewableRecords`).
 */
export async function withSummaries(
  request: FastifyRequest,
  services: Pick<WorkflowServices, 'db' | 'forms' | 'definitions'>,
  access: WorkflowRecordAccess,
  items: readonly InboxItem[],
): Promise<InboxLine[]> {
  const { db, forms, definitions } = services;
  const byForm = new Map<string, { app: string; form: string; ids: Set<string> }>();
  for (const item of items) {
    const key = `${item.app}/${item.form}`;
    const group = byForm.get(key) ?? { app: item.app, form: item.form, ids: new Set<string>() };
    if (UUID.test(item.recordId)) group.ids.add(item.recordId);
    byForm.set(key, group);
  }
  const records = new Map<string, RecordBody>();
  for (const [key, group] of byForm) {
    if (group.ids.size === 0) continue;
    const form = await forms.get(group.app, group.form);
    const guard = await access.guardOf(request, form);
    // Identifiers come from published metadata; the ids are a bound parameter.
    const found = await sql<Record<string, unknown>>`
      SELECT * FROM ${sql.id(form.table.schema, form.table.table)}
      WHERE id = ANY(${[...group.ids]}::uuid[])`.execute(db);
    const presented = await access.present(
      form,
      guard,
      found.rows.map((row) => rowToRecord(row, form.table.columns)),
    );
    for (const record of presented) records.set(`${key}/${record.id}`, record);
  }
  const lines: InboxLine[] = [];
  for (const { definitionId, ...item } of items) {
    const record = records.get(`${item.app}/${item.form}/${item.recordId}`);
    let values: Record<string, unknown> | null = null;
    if (record !== undefined) {
      const permissions =
        item.nodeId === null
          ? undefined
          : fieldPermissionsOf(await definitions.compiled(db, definitionId), item.nodeId);
      const shown = visibleFields(permissions, Object.keys(record.values));
      values = Object.fromEntries(shown.map((field) => [field, record.values[field]]));
    }
    lines.push({ ...item, record: values });
  }
  return lines;
}
