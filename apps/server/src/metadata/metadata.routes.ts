import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkKey, type FormDefinition, parseFormDefinition } from '@joinery/forms';
import { JoineryError, pickLocale } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.ts';
import { ruleContext } from '../clock/rule-context.ts';
import { isUniqueViolation } from '../database/pg-errors.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import type { FormRegistry } from './form-registry.ts';
import { fromDraft, publishForm, withoutField } from './publish-form.ts';

const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
const Localized = Type.Object(
  { 'zh-CN': Type.String({ maxLength: 200 }), en: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
const AppParams = Type.Object({ app: Key }, { additionalProperties: false });
const FormParams = Type.Object({ app: Key, form: Key }, { additionalProperties: false });
const FormSummary = Type.Object({
  key: Type.String(),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
});
const App = Type.Object({
  id: Type.String(),
  key: Type.String(),
  label: Localized,
  description: Type.Union([Localized, Type.Null()]),
  forms: Type.Array(FormSummary),
});
/** A form definition (docs/forms.md); the form engine checks it and names every problem. */
const Definition = Type.Object(
  { key: Key, fields: Type.Array(Type.Object({}, { additionalProperties: true })) },
  { additionalProperties: true },
);
const Published = Type.Object({
  version: Type.Integer(),
  definition: Type.Object({}, { additionalProperties: true }),
});
const PublishResult = Type.Object({
  version: Type.Integer(),
  steps: Type.Array(Type.String()),
});

/**
 * Apps and their forms: create an app (its Postgres schema `app_<key>` appears at the first
 * publish), save a form's draft (validated by the form engine), publish it (DDL and metadata in
 * one transaction), purge a deleted field, and read the live definition.
 */
export const metadataRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  forms: FormRegistry;
}> = async (app, { db, forms }) => {
  app.post(
    '/api/apps',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['apps'],
        summary: 'Create an app',
        body: Type.Object(
          { key: Key, label: Localized, description: Type.Optional(Localized) },
          { additionalProperties: false },
        ),
        response: { 201: App, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { key, label, description } = request.body;
      if (checkKey(key, 'app') !== null) {
        throw new JoineryError('JNY_REQUEST_INVALID', {
          details: `the app key ${key} is reserved`,
        });
      }
      try {
        const row = await db
          .insertInto('joinery.apps')
          .values({
            key,
            label: JSON.stringify(label),
            description: description ? JSON.stringify(description) : null,
            created_by: principalOf(request).userId,
          })
          .returning(['id'])
          .executeTakeFirstOrThrow();
        return reply
          .status(201)
          .send({ id: row.id, key, label, description: description ?? null, forms: [] });
      } catch (error) {
        if (isUniqueViolation(error)) throw new JoineryError('JNY_APP_KEY_TAKEN', { app: key });
        throw error;
      }
    },
  );

  app.get(
    '/api/apps',
    {
      config: { access: 'user' },
      schema: {
        tags: ['apps'],
        summary: 'Every app with its forms',
        response: { 200: Type.Object({ items: Type.Array(App) }), ...errorResponses },
      },
    },
    async () => ({ items: await listApps(db) }),
  );

  app.get(
    '/api/apps/:app',
    {
      config: { access: 'user' },
      schema: {
        tags: ['apps'],
        summary: 'One app with its forms',
        params: AppParams,
        response: { 200: App, ...errorResponses },
      },
    },
    async (request) => {
      const found = (await listApps(db, request.params.app))[0];
      if (!found) throw new JoineryError('JNY_APP_NOT_FOUND', { app: request.params.app });
      return found;
    },
  );

  app.put(
    '/api/apps/:app/forms/:form/draft',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['apps'],
        summary: "Save a form's draft definition (created if new); nothing changes until publish",
        params: FormParams,
        body: Definition,
        response: { 200: Type.Object({ key: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, form: formKey } = request.params;
      const locale = pickLocale(request.headers['accept-language']);
      if (request.body.key !== formKey) {
        throw new JoineryError('JNY_REQUEST_INVALID', {
          details: `the definition's key ${request.body.key} is not ${formKey}`,
        });
      }
      const appRow = await db
        .selectFrom('joinery.apps')
        .select('id')
        .where('key', '=', appKey)
        .executeTakeFirst();
      if (!appRow) throw new JoineryError('JNY_APP_NOT_FOUND', { app: appKey });
      const live = await forms.allOf(appKey);
      const liveSelf = live.find((form) => form.formKey === formKey)?.definition ?? null;
      // Validated as it would be published (with the fields it leaves out kept, hidden).
      parseFormDefinition(fromDraft(liveSelf, { ...request.body, version: 1 }), locale, {
        forms: live.filter((form) => form.formKey !== formKey).map((form) => form.definition),
      });
      await db
        .insertInto('joinery.forms')
        .values({ app_id: appRow.id, key: formKey, draft: JSON.stringify(request.body) })
        .onConflict((conflict) =>
          conflict.columns(['app_id', 'key']).doUpdateSet({
            draft: JSON.stringify(request.body),
            draft_updated_at: new Date(),
          }),
        )
        .execute();
      return { key: formKey };
    },
  );

  app.get(
    '/api/apps/:app/forms/:form/draft',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['apps'],
        summary: "A form's saved draft",
        params: FormParams,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
      },
    },
    async (request) => {
      const row = await db
        .selectFrom('joinery.forms as f')
        .innerJoin('joinery.apps as a', 'a.id', 'f.app_id')
        .select('f.draft')
        .where('a.key', '=', request.params.app)
        .where('f.key', '=', request.params.form)
        .executeTakeFirst();
      if (!row) throw new JoineryError('JNY_APP_FORM_NOT_FOUND', { ...request.params });
      return row.draft as Record<string, unknown>;
    },
  );

  app.post(
    '/api/apps/:app/forms/:form/publish',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['apps'],
        summary:
          'Publish the draft: DDL diff from the live version and metadata in one transaction',
        params: FormParams,
        response: { 200: PublishResult, ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, form: formKey } = request.params;
      const outcome = await publishForm(db, {
        appKey,
        formKey,
        userId: principalOf(request).userId,
        locale: pickLocale(request.headers['accept-language']),
        cipher: forms.cipher,
        clock: ruleContext(request.server.clock),
        next: (live, draft) => fromDraft(live, { ...(draft as FormDefinition), version: 1 }),
      });
      forms.invalidate(appKey, formKey);
      return { version: outcome.version, steps: [...outcome.steps] };
    },
  );

  app.post(
    '/api/apps/:app/forms/:form/purge',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['apps'],
        summary: 'Purge a deleted field: publishes a version without it and drops its data',
        params: FormParams,
        body: Type.Object(
          { field: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: PublishResult, ...errorResponses },
      },
    },
    async (request) => {
      const { app: appKey, form: formKey } = request.params;
      const outcome = await publishForm(db, {
        appKey,
        formKey,
        userId: principalOf(request).userId,
        locale: pickLocale(request.headers['accept-language']),
        cipher: forms.cipher,
        clock: ruleContext(request.server.clock),
        ...withoutField(request.body.field),
      });
      forms.invalidate(appKey, formKey);
      return { version: outcome.version, steps: [...outcome.steps] };
    },
  );

  app.get(
    '/api/apps/:app/forms/:form',
    {
      config: { access: 'user' },
      schema: {
        tags: ['apps'],
        summary: 'The published definition of a form (what the browser renders and validates)',
        params: FormParams,
        response: { 200: Published, ...errorResponses },
      },
    },
    async (request) => {
      const form = await forms.get(request.params.app, request.params.form);
      return {
        version: form.version,
        definition: form.definition as unknown as Record<string, unknown>,
      };
    },
  );
};

async function listApps(db: Kysely<JoineryDatabase>, key?: string) {
  let query = db
    .selectFrom('joinery.apps as a')
    .leftJoin('joinery.forms as f', 'f.app_id', 'a.id')
    .select(['a.id', 'a.key', 'a.label', 'a.description', 'f.key as form_key'])
    .select('f.published_version')
    .orderBy('a.key')
    .orderBy('f.key');
  if (key !== undefined) query = query.where('a.key', '=', key);
  const rows = await query.execute();
  const apps = new Map<
    string,
    {
      id: string;
      key: string;
      label: { 'zh-CN': string; en: string };
      description: { 'zh-CN': string; en: string } | null;
      forms: { key: string; publishedVersion: number | null }[];
    }
  >();
  for (const row of rows) {
    let entry = apps.get(row.id);
    if (!entry) {
      entry = {
        id: row.id,
        key: row.key,
        label: row.label as { 'zh-CN': string; en: string },
        description: (row.description ?? null) as { 'zh-CN': string; en: string } | null,
        forms: [],
      };
      apps.set(row.id, entry);
    }
    if (row.form_key)
      entry.forms.push({ key: row.form_key, publishedVersion: row.published_version ?? null });
  }
  return [...apps.values()];
}
