import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FormAction } from '@joinery/access';
import { pickLocale } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { RecordGuard } from '../access/record-guard.ts';
import { principalOf, withStatementCredential } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import { ruleContext } from '../clock/rule-context.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { recordPageJson } from './record-page-json.ts';
import {
  FormParams,
  HistoryEntry,
  ListQuery,
  RecordPageSchema,
  RecordParams,
  RecordSchema,
  Unmask,
  Values,
} from './record-schemas.ts';
import type { RecordService } from './record-service.ts';
import type { WriteContext } from './record-writer.ts';

/** The most records one bulk request may carry (all written in one transaction). */
const BULK_LIMIT = 1000;

/** `$user`, `$now` (the server's clock), the business day and the language of errors. */
export function writeContext(
  request: FastifyRequest,
  principal: Principal = principalOf(request),
): WriteContext {
  const user = {
    id: principal.userId,
    username: principal.username,
    displayName: principal.displayName,
    isAdmin: principal.isAdmin,
  };
  return {
    userId: principal.userId,
    locale: pickLocale(request.headers['accept-language']),
    ...ruleContext(request.server.clock, user),
    user,
  };
}

const tags = ['records'];

/**
 * The query of a create or an update: `unmask` chooses which personal data the answer shows in
 * clear, as on reads (`none` for a form that keeps it masked until the user reveals it).
 */
const WrittenQuery = Type.Object(
  { unmask: Type.Optional(Unmask) },
  { additionalProperties: false },
);

/**
 * The records API of every published form, under `/api/apps/:app/forms/:form/records`:
 * create, read, partial update with optimistic concurrency, soft delete and restore, bulk
 * writes in one transaction, lists (JSON-logic filter, sort, keyset pages, count, search,
 * field selection, expansion) and per-record history.
 */
export const recordRoutes: FastifyPluginAsyncTypebox<{
  records: RecordService;
  db: Kysely<JoineryDatabase>;
}> = async (app, { records, db }) => {
  const base = '/api/apps/:app/forms/:form/records';
  const formOf = (params: { app: string; form: string }) =>
    records.forms.get(params.app, params.form);
  /** The published form and the access layer for this request (and `principal`). */
  const guarded = async (
    request: FastifyRequest,
    params: { app: string; form: string },
    principal?: Principal,
  ) => {
    const form = await formOf(params);
    return { form, guard: await RecordGuard.of(request, db, records.forms, form, principal) };
  };
  /** A record the viewer may act on: out of scope answers 404, as if it did not exist. */
  const inScope = async (
    guard: RecordGuard,
    form: PublishedForm,
    id: string,
    action: FormAction,
  ) => {
    const record = await records.get(form, id);
    guard.assertInScope(action, record);
    return record;
  };
  /** Soft-deletes or restores a record; both need the delete right on it. */
  const setDeleted = async (
    request: FastifyRequest,
    params: { app: string; form: string; id: string },
    deleted: boolean,
    version?: number,
  ) => {
    const { form, guard } = await guarded(request, params);
    guard.require('delete');
    await inScope(guard, form, params.id, 'delete');
    const record = await records.write(form, writeContext(request), (writer) =>
      writer.setDeleted(params.id, deleted, version),
    );
    return guard.presentOne(record);
  };

  app.post(
    base,
    {
      config: { access: 'user', verifiedInStatement: true },
      schema: {
        tags,
        summary: 'Create a record (validated, formulas computed, serial numbers assigned)',
        params: FormParams,
        querystring: WrittenQuery,
        body: Type.Object({ values: Values }, { additionalProperties: false }),
        response: { 201: RecordSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const record = await withStatementCredential(request, async (credential) => {
        const { form, guard } = await guarded(request, request.params, credential.principal);
        guard.require('create').assertWritable(request.body.values);
        const reveal = guard.revealing(request.query.unmask);
        const context = writeContext(request, credential.principal);
        // Without a row scope on create there is nothing to check afterwards, so the service
        // may write the record in one statement (which verifies the credential too); otherwise
        // it is checked inside the transaction, which needs the credential verified first.
        const unscoped = guard.unscoped('create');
        if (!unscoped) credential.requireVerified();
        const created = unscoped
          ? await records.create(form, request.body.values, context, credential)
          : await records.write(form, context, async (writer) => {
              const written = await writer.create(request.body.values);
              guard.assertInScope('create', written);
              return written;
            });
        await guard.presentWritten([created], [request.body.values], reveal);
        return created;
      });
      return reply.status(201).send(record);
    },
  );

  app.get(
    base,
    {
      config: { access: 'user', verifiedInStatement: true },
      schema: {
        tags,
        summary: 'List records: JSON-logic filter, sort, keyset pages, count, search, fields',
        params: FormParams,
        querystring: ListQuery,
        response: { 200: RecordPageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { page, items } = await withStatementCredential(request, async (credential) => {
        const { form, guard } = await guarded(request, request.params, credential.principal);
        const { unmask, ...query } = request.query;
        guard.require('view').assertReadableSort(query.sort);
        const reveal = guard.revealing(unmask);
        await guard.assertExpandable(query.expand, (key) => relatedForm(records, form, key));
        const filter = await guard.scopedFilter('view', query.filter);
        const page = await records.list(
          form,
          { ...query, ...(filter !== undefined && { filter }) },
          guard.readContext(),
          credential,
        );
        return { page, items: await guard.present(page.items, reveal) };
      });
      // A reply serializer of its own: fastify then sets no content type itself.
      return reply
        .type('application/json; charset=utf-8')
        .serializer(recordPageJson)
        .send({ ...page, items });
    },
  );

  app.post(
    `${base}/bulk`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Create, update and delete many records in one transaction (all or nothing)',
        params: FormParams,
        body: Type.Object(
          {
            create: Type.Optional(
              Type.Array(Type.Object({ values: Values }, { additionalProperties: false }), {
                maxItems: BULK_LIMIT,
              }),
            ),
            update: Type.Optional(
              Type.Array(
                Type.Object(
                  { id: Type.String({ format: 'uuid' }), version: Type.Integer(), values: Values },
                  { additionalProperties: false },
                ),
                { maxItems: BULK_LIMIT },
              ),
            ),
            delete: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    id: Type.String({ format: 'uuid' }),
                    version: Type.Optional(Type.Integer()),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: BULK_LIMIT },
              ),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: Type.Object({
            created: Type.Array(RecordSchema),
            updated: Type.Array(RecordSchema),
            deleted: Type.Array(RecordSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { form, guard } = await guarded(request, request.params);
      const { create = [], update = [], delete: remove = [] } = request.body;
      if (create.length > 0) guard.require('create');
      if (update.length > 0) guard.require('edit');
      if (remove.length > 0) guard.require('delete');
      for (const item of [...create, ...update]) guard.assertWritable(item.values);
      const result = await records.write(form, writeContext(request), async (writer) => {
        const created = [];
        for (const [index, item] of create.entries()) {
          created.push(
            await records.inBatch(`create/${index}`, async () => {
              const record = await writer.create(item.values);
              guard.assertInScope('create', record);
              return record;
            }),
          );
        }
        const updated = [];
        for (const [index, item] of update.entries()) {
          updated.push(
            await records.inBatch(`update/${index}`, async () => {
              guard.assertInScope('edit', await records.get(form, item.id));
              const record = await writer.update(item.id, item.version, item.values);
              guard.assertInScope('edit', record);
              return record;
            }),
          );
        }
        const deleted = [];
        for (const [index, item] of remove.entries()) {
          deleted.push(
            await records.inBatch(`delete/${index}`, async () => {
              guard.assertInScope('delete', await records.get(form, item.id));
              return writer.setDeleted(item.id, true, item.version);
            }),
          );
        }
        return { created, updated, deleted };
      });
      return {
        created: await guard.presentWritten(
          result.created,
          create.map((item) => item.values),
        ),
        updated: await guard.presentWritten(
          result.updated,
          update.map((item) => item.values),
        ),
        deleted: await guard.present(result.deleted),
      };
    },
  );

  app.get(
    `${base}/:id`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Read one record',
        params: RecordParams,
        querystring: Type.Object(
          {
            fields: Type.Optional(Type.String({ maxLength: 4000 })),
            expand: Type.Optional(Type.String({ maxLength: 1000 })),
            unmask: Type.Optional(Unmask),
          },
          { additionalProperties: false },
        ),
        response: { 200: RecordSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { form, guard } = await guarded(request, request.params);
      const { unmask, ...query } = request.query;
      const reveal = guard.require('view').revealing(unmask);
      await guard.assertExpandable(query.expand, (key) => relatedForm(records, form, key));
      const record = await records.get(form, request.params.id, query);
      guard.assertInScope('view', record);
      return await guard.presentOne(record, reveal);
    },
  );

  app.patch(
    `${base}/:id`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Update some fields; `version` must be the version read (else 409)',
        params: RecordParams,
        querystring: WrittenQuery,
        body: Type.Object(
          { version: Type.Integer({ minimum: 1 }), values: Values },
          { additionalProperties: false },
        ),
        response: { 200: RecordSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { form, guard } = await guarded(request, request.params);
      guard.require('edit').assertWritable(request.body.values);
      const reveal = guard.revealing(request.query.unmask);
      await inScope(guard, form, request.params.id, 'edit');
      const record = await records.write(form, writeContext(request), async (writer) => {
        const updated = await writer.update(
          request.params.id,
          request.body.version,
          request.body.values,
        );
        guard.assertInScope('edit', updated);
        return updated;
      });
      await guard.presentWritten([record], [request.body.values], reveal);
      return record;
    },
  );

  app.delete(
    `${base}/:id`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Soft-delete a record (restore brings it back)',
        params: RecordParams,
        querystring: Type.Object(
          { version: Type.Optional(Type.Integer({ minimum: 1 })) },
          { additionalProperties: false },
        ),
        response: { 200: RecordSchema, ...errorResponses },
      },
    },
    async (request) => setDeleted(request, request.params, true, request.query.version),
  );

  app.post(
    `${base}/:id/restore`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Restore a soft-deleted record',
        params: RecordParams,
        response: { 200: RecordSchema, ...errorResponses },
      },
    },
    async (request) => setDeleted(request, request.params, false),
  );

  app.get(
    `${base}/:id/history`,
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Who changed which field of the record, from what to what',
        params: RecordParams,
        response: { 200: Type.Object({ items: Type.Array(HistoryEntry) }), ...errorResponses },
      },
    },
    async (request) => {
      const { form, guard } = await guarded(request, request.params);
      guard.require('view');
      await inScope(guard, form, request.params.id, 'view');
      const items = await records.history(form, request.params.id);
      // History shows values too: only of fields the viewer may read, masked like the record.
      return { items: await presentHistory(guard, items) };
    },
  );
};

/** The published form a relation field points at, when there is one. */
function relatedForm(records: RecordService, form: PublishedForm, key: string) {
  const target = form.fields.get(key)?.definition.config?.form;
  return typeof target === 'string'
    ? records.forms.get(form.appKey, target)
    : Promise.resolve(undefined);
}

/** History entries with unreadable fields dropped and personal data masked as in records. */
async function presentHistory<
  T extends { changes: Record<string, { from: unknown; to: unknown }> },
>(guard: RecordGuard, items: T[]): Promise<T[]> {
  for (const item of items) {
    const as = (side: 'from' | 'to') => ({
      id: '',
      version: 0,
      createdAt: '',
      createdBy: null,
      updatedAt: '',
      updatedBy: null,
      owner: null,
      deletedAt: null,
      values: Object.fromEntries(Object.entries(item.changes).map(([k, v]) => [k, v[side]])),
    });
    const [from, to] = await guard.present([as('from'), as('to')]);
    item.changes = Object.fromEntries(
      Object.keys(to?.values ?? {}).map((k) => [k, { from: from?.values[k], to: to?.values[k] }]),
    );
  }
  return items;
}
