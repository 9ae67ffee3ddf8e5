import { isJoineryError } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { ALIAS, filterCondition } from '../records/record-query.ts';
import type { WorkflowRecordAccess } from './workflow-record-access.ts';

/** A record id as a uuid, or null for anything else (a CASE, so the cast never fails). */
export const RECORD_UUID = sql`(CASE WHEN i.record_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  THEN i.record_id::uuid END)`;

/**
 * The records the viewer may view, as one SQL condition over a workflow instance (alias `i`):
 * for each form that has a workflow, the viewer's view right and row scope — the record
 * guard's own scope, translated by the records API's translator — checked inside the database,
 * so inbox lists and their counts hold exactly what the task and instance views would show.
 * One query for the forms with workflows (published forms are cached), whatever the list size.
 * A form the viewer may not view, or whose scope has no SQL form, contributes nothing: its
 * records stay out of the lists (fail closed).
 */
export async function viewableRecords(
  request: FastifyRequest,
  db: Kysely<JoineryDatabase>,
  forms: FormRegistry,
  access: WorkflowRecordAccess,
): Promise<RawBuilder<SqlBool>> {
  const pairs = await db
    .selectFrom('joinery.workflow_definitions')
    .select(['app', 'form'])
    .distinct()
    .execute();
  const parts: RawBuilder<SqlBool>[] = [];
  for (const pair of pairs) {
    const part = await formCondition(request, forms, access, pair.app, pair.form);
    if (part !== undefined) {
      parts.push(sql<SqlBool>`(i.app = ${pair.app} AND i.form = ${pair.form} AND ${part})`);
    }
  }
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

async function formCondition(
  request: FastifyRequest,
  forms: FormRegistry,
  access: WorkflowRecordAccess,
  app: string,
  formKey: string,
): Promise<RawBuilder<SqlBool> | undefined> {
  try {
    const form = await forms.get(app, formKey);
    const guard = await access.guardOf(request, form);
    const scope = await guard.require('view').scopedFilter('view', undefined);
    if (scope === undefined) return sql<SqlBool>`true`;
    const condition = filterCondition(form, scope, guard.viewer.ruleContext());
    if (condition === null) return sql<SqlBool>`true`;
    // Identifiers come from published metadata; the condition is the rule engine's
    // parameterised SQL over the form's table under the list alias.
    return sql<SqlBool>`EXISTS (SELECT 1 FROM ${sql.id(form.table.schema, form.table.table)} AS ${sql.id(ALIAS)}
      WHERE ${sql.ref(`${ALIAS}.id`)} = ${RECORD_UUID} AND ${condition})`;
  } catch (error) {
    if (isJoineryError(error)) return undefined;
    throw error;
  }
}
