import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type RolePermissions, rolePermissionsSchema } from '@joinery/access';
import { compileLogic } from '@joinery/rules';
import { JoineryError, pickLocale } from '@joinery/shared';
import { Ajv } from 'ajv';
import type { Kysely, Selectable } from 'kysely';
import { Type } from 'typebox';
import { auditRequest } from '../audit/request-audit.ts';
import { isUniqueViolation } from '../database/pg-errors.ts';
import type { JoineryDatabase, RolesTable } from '../database/schema.ts';
import { errorResponses, IdParams, Uuid } from '../http/schemas.ts';
import { validationProblems } from '../http/validation-problems.ts';

const validatePermissions = new Ajv({ allErrors: true }).compile<RolePermissions>(
  rolePermissionsSchema,
);

const Localized = Type.Object(
  {
    'zh-CN': Type.String({ minLength: 1, maxLength: 100 }),
    en: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
const Role = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Localized,
  permissions: Type.Unknown(),
});
const RoleKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });

function toRole(row: Selectable<RolesTable>) {
  return { id: row.id, key: row.key, name: row.name, permissions: row.permissions };
}

/**
 * Checks a permissions document: its shape (precise field problems) and every row-scope
 * condition, compiled by the rule engine so a bad expression is refused when saved, not when read.
 */
function checkPermissions(permissions: unknown, locale: ReturnType<typeof pickLocale>): string {
  if (!validatePermissions(permissions)) {
    const fields = validationProblems(validatePermissions.errors ?? [], 'body/permissions', locale);
    throw new JoineryError(
      'JNY_REQUEST_INVALID',
      { details: fields.map((f) => `${f.field} ${f.reason}`).join('; ') },
      fields,
    );
  }
  for (const [app, appPermission] of Object.entries(permissions.apps)) {
    for (const [form, formPermission] of Object.entries(appPermission.forms)) {
      const rows = formPermission.rows;
      if (rows && typeof rows === 'object') {
        try {
          compileLogic(rows.logic);
        } catch (error) {
          const field = `/body/permissions/apps/${app}/forms/${form}/rows/logic`;
          throw new JoineryError(
            'JNY_REQUEST_INVALID',
            { details: `${field} ${(error as Error).message}` },
            [{ field, reason: (error as Error).message }],
          );
        }
      }
    }
  }
  return JSON.stringify(permissions);
}

/** Roles and their permissions, and who holds them. Administrators only; every change audited. */
export const roleRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<JoineryDatabase> }> = async (
  app,
  { db },
) => {
  app.get(
    '/api/roles',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'All roles',
        response: { 200: Type.Object({ items: Type.Array(Role) }), ...errorResponses },
      },
    },
    async () => ({
      items: (await db.selectFrom('joinery.roles').selectAll().orderBy('key').execute()).map(
        toRole,
      ),
    }),
  );

  app.post(
    '/api/roles',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Create a role with its permissions',
        body: Type.Object(
          { key: RoleKey, name: Localized, permissions: Type.Unknown() },
          { additionalProperties: false },
        ),
        response: { 201: Role, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { key, name, permissions } = request.body;
      const json = checkPermissions(permissions, pickLocale(request.headers['accept-language']));
      try {
        const row = await db.transaction().execute(async (trx) => {
          const inserted = await trx
            .insertInto('joinery.roles')
            .values({ key, name: JSON.stringify(name), permissions: json })
            .returningAll()
            .executeTakeFirstOrThrow();
          await auditRequest(trx, request, 'role.create', `role:${inserted.id}`, {
            key,
            permissions,
          });
          return inserted;
        });
        return reply.status(201).send(toRole(row));
      } catch (error) {
        if (isUniqueViolation(error)) throw new JoineryError('JNY_ROLE_EXISTS', { key });
        throw error;
      }
    },
  );

  app.patch(
    '/api/roles/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: "Change a role's name or permissions",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Localized), permissions: Type.Optional(Type.Unknown()) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Role, ...errorResponses },
      },
    },
    async (request) => {
      const { name, permissions } = request.body;
      const json =
        permissions === undefined
          ? undefined
          : checkPermissions(permissions, pickLocale(request.headers['accept-language']));
      const row = await db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom('joinery.roles')
          .selectAll()
          .where('id', '=', request.params.id)
          .forUpdate()
          .executeTakeFirst();
        if (!before) throw new JoineryError('JNY_ROLE_NOT_FOUND');
        const updated = await trx
          .updateTable('joinery.roles')
          .set({
            ...(name !== undefined && { name: JSON.stringify(name) }),
            ...(json !== undefined && { permissions: json }),
            updated_at: new Date(),
          })
          .where('id', '=', request.params.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await auditRequest(trx, request, 'role.update', `role:${updated.id}`, {
          before: { name: before.name, permissions: before.permissions },
          after: { name: updated.name, permissions: updated.permissions },
        });
        return updated;
      });
      return toRole(row);
    },
  );

  app.delete(
    '/api/roles/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Delete a role (its holders lose it)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom('joinery.roles')
          .where('id', '=', request.params.id)
          .returning(['id', 'key'])
          .executeTakeFirst();
        if (!deleted) throw new JoineryError('JNY_ROLE_NOT_FOUND');
        await auditRequest(trx, request, 'role.delete', `role:${deleted.id}`, { key: deleted.key });
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/users/:id/roles',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'The roles a user holds',
        params: IdParams,
        response: { 200: Type.Object({ roleIds: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const rows = await db
        .selectFrom('joinery.user_roles')
        .select('role_id')
        .where('user_id', '=', request.params.id)
        .execute();
      return { roleIds: rows.map((r) => r.role_id) };
    },
  );

  app.put(
    '/api/users/:id/roles',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['access'],
        summary: 'Set the roles a user holds (replaces the list)',
        params: IdParams,
        body: Type.Object(
          { roleIds: Type.Array(Uuid, { uniqueItems: true, maxItems: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ roleIds: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const userId = request.params.id;
      const { roleIds } = request.body;
      await db.transaction().execute(async (trx) => {
        const user = await trx
          .selectFrom('joinery.users')
          .select('id')
          .where('id', '=', userId)
          .executeTakeFirst();
        if (!user) throw new JoineryError('JNY_USER_NOT_FOUND');
        if (roleIds.length > 0) {
          const found = await trx
            .selectFrom('joinery.roles')
            .select('id')
            .where('id', 'in', roleIds)
            .execute();
          if (found.length !== roleIds.length) throw new JoineryError('JNY_ROLE_NOT_FOUND');
        }
        const before = await trx
          .selectFrom('joinery.user_roles')
          .select('role_id')
          .where('user_id', '=', userId)
          .execute();
        await trx.deleteFrom('joinery.user_roles').where('user_id', '=', userId).execute();
        if (roleIds.length > 0) {
          await trx
            .insertInto('joinery.user_roles')
            .values(roleIds.map((roleId) => ({ user_id: userId, role_id: roleId })))
            .execute();
        }
        await auditRequest(trx, request, 'user.roles', `user:${userId}`, {
          before: before.map((r) => r.role_id),
          after: roleIds,
        });
      });
      return { roleIds };
    },
  );
};
