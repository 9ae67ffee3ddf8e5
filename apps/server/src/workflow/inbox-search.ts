import { isJoineryError } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { ALIAS, searchCondition } from '../records/record-query.ts';
import { RECORD_UUID } from './inbox-record-scope.ts';
import type { WorkflowRecordAccess } from './workflow-record-access.ts';

/**
 * The inbox's text search, as one SQL condition over a workflow instance (alias `i`): its record
 * holds `q` in a text field the viewer may search — the records API's own search
 * (`searchCondition`), over only the fields the viewer may read and sees in clear (the guard's
 * `searchable`), so a search never reveals a hidden or masked value. Forms with workflows only
 * (optionally just `app`/`form`); a form the viewer may not view contributes nothing.
 */
export async function inboxSearch(
  request: FastifyRequest,
  db: Kysely<JoineryDatabase>,
  forms: FormRegistry,
  access: WorkflowRecordAccess,
  q: string,
  where: { readonly app?: string; readonly form?: string } = {},
): Promise<RawBuilder<SqlBool>> {
  let pairs = db.selectFrom('joinery.workflow_definitions').select(['app', 'form']).distinct();
  if (where.app !== undefined) pairs = pairs.where('app', '=', where.app);
  if (where.form !== undefined) pairs = pairs.where('form', '=', where.form);
  const parts: RawBuilder<SqlBool>[] = [];
  for (const pair of await pairs.execute()) {
    try {
      const form = await forms.get(pair.app, pair.form);
      const guard = (await access.guardOf(request, form)).require('view');
      const search = searchCondition(form, q, (key) => guard.searchable(key));
      if (search === null) continue;
      // Identifiers come from published metadata; the search binds `q` as a parameter.
      parts.push(sql<SqlBool>`(i.app = ${pair.app} AND i.form = ${pair.form} AND EXISTS (
        SELECT 1 FROM ${sql.id(form.table.schema, form.table.table)} AS ${sql.id(ALIAS)}
        WHERE ${sql.ref(`${ALIAS}.id`)} = ${RECORD_UUID} AND ${search}))`);
    } catch (error) {
      if (!isJoineryError(error)) throw error;
    }
  }
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}
