import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FORM_ACTIONS } from '@joinery/access';
import type { Kysely } from 'kysely';
import { type Static, Type } from 'typebox';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses } from '../http/schemas.ts';
import type { FormRegistry } from '../metadata/form-registry.ts';
import { shownMasked } from './personal-data.ts';
import { viewerOf } from './viewer.ts';

const FormRights = Type.Object({
  /** The actions the caller's roles grant on the form (`view`, `create`…). */
  actions: Type.Array(Type.String()),
  /** The fields whose masked values the caller may see in clear (each such read is audited). */
  unmask: Type.Array(Type.String()),
  /** Readable fields the caller sees only masked: not filtered, sorted or searched on for them. */
  masked: Type.Array(Type.String()),
});

/**
 * What the caller may do, per app and published form, merged over their roles — so the browser
 * shows only the menus, buttons and controls that the server would allow. It decides nothing:
 * every route still enforces the same rights on its own.
 */
export const myAccessRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  forms: FormRegistry;
}> = async (app, { db, forms }) => {
  app.get(
    '/api/me/access',
    {
      config: { access: 'user' },
      schema: {
        tags: ['access'],
        summary: "The caller's rights on every published form: actions and unmaskable fields",
        response: {
          200: Type.Object({
            apps: Type.Record(Type.String(), Type.Record(Type.String(), FormRights)),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const viewer = await viewerOf(request, db);
      const appKeys = await db.selectFrom('joinery.apps').select('key').orderBy('key').execute();
      const apps: Record<string, Record<string, Static<typeof FormRights>>> = {};
      for (const { key } of appKeys) {
        const rights: Record<string, Static<typeof FormRights>> = {};
        for (const form of await forms.allOf(key)) {
          const access = viewer.access(key, form.formKey);
          const actions = FORM_ACTIONS.filter((action) => access.actions.has(action));
          if (actions.length === 0) continue;
          const unmask = [...form.fields.keys()].filter(
            (field) => access.canRead(field) && access.canUnmask(field),
          );
          const masked = [...form.fields]
            .filter(
              ([field, { definition }]) =>
                access.canRead(field) && shownMasked(definition, access.canUnmask(field)),
            )
            .map(([field]) => field);
          rights[form.formKey] = { actions, unmask, masked };
        }
        apps[key] = rights;
      }
      return { apps };
    },
  );
};
