import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import type { Kysely, Selectable } from 'kysely';
import { Type } from 'typebox';
import { auditRequest } from '../audit/request-audit.ts';
import { assertPasswordPolicy, hashPassword } from '../auth/passwords.ts';
import type { SessionStore } from '../auth/session-store.ts';
import { isUniqueViolation } from '../database/pg-errors.ts';
import type { JoineryDatabase, UsersTable } from '../database/schema.ts';
import { errorResponses, IdParams, LocaleSchema, Uuid } from '../http/schemas.ts';

/** What the user routes need. */
export interface UserRouteDeps {
  readonly db: Kysely<JoineryDatabase>;
  readonly sessions: SessionStore;
}

// The output schema is the allow-list of what leaves the server: never the password hash.
const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  locale: Type.String(),
  isAdmin: Type.Boolean(),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

const Username = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });
const DisplayName = Type.String({ minLength: 1, maxLength: 100 });
const Email = Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]);
const DepartmentRef = Type.Union([Uuid, Type.Null()]);

function toUser(row: Selectable<UsersTable>) {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    locale: row.locale,
    isAdmin: row.is_admin,
    departmentId: row.department_id,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  };
}

/** Administration of users: list, read, create, update (including disabling and password reset). */
export const userRoutes: FastifyPluginAsyncTypebox<UserRouteDeps> = async (
  app,
  { db, sessions },
) => {
  app.get(
    '/api/users',
    {
      config: { access: 'user' },
      schema: {
        tags: ['identity'],
        summary: 'List users (for pickers); filter by a search text',
        querystring: Type.Object(
          {
            search: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            offset: Type.Integer({ minimum: 0, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(User) }), ...errorResponses },
      },
    },
    async (request) => {
      const { search, limit, offset } = request.query;
      let query = db
        .selectFrom('joinery.users')
        .selectAll()
        .orderBy('username')
        .limit(limit)
        .offset(offset);
      if (search) {
        const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where((eb) =>
          eb.or([eb('username', 'ilike', pattern), eb('display_name', 'ilike', pattern)]),
        );
      }
      return { items: (await query.execute()).map(toUser) };
    },
  );

  app.get(
    '/api/users/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['identity'],
        summary: 'One user',
        params: IdParams,
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => {
      const row = await db
        .selectFrom('joinery.users')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!row) throw new JoineryError('JNY_USER_NOT_FOUND');
      return toUser(row);
    },
  );

  app.post(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['identity'],
        summary: 'Create a user',
        body: Type.Object(
          {
            username: Username,
            displayName: DisplayName,
            password: Type.String({ minLength: 1, maxLength: 200 }),
            email: Type.Optional(Email),
            locale: Type.Optional(LocaleSchema),
            isAdmin: Type.Optional(Type.Boolean()),
            departmentId: Type.Optional(DepartmentRef),
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      assertPasswordPolicy(body.password);
      await assertDepartmentExists(db, body.departmentId ?? null);
      try {
        const row = await db
          .insertInto('joinery.users')
          .values({
            username: body.username,
            display_name: body.displayName,
            email: body.email ?? null,
            locale: body.locale ?? 'zh-CN',
            is_admin: body.isAdmin ?? false,
            department_id: body.departmentId ?? null,
            password_hash: await hashPassword(body.password),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await auditRequest(db, request, 'user.create', `user:${row.id}`, { after: toUser(row) });
        return reply.status(201).send(toUser(row));
      } catch (error) {
        if (isUniqueViolation(error))
          throw new JoineryError('JNY_USER_EXISTS', { username: body.username });
        throw error;
      }
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['identity'],
        summary: 'Update a user; disabling or a new password ends their sessions',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(DisplayName),
            email: Type.Optional(Email),
            locale: Type.Optional(LocaleSchema),
            isAdmin: Type.Optional(Type.Boolean()),
            departmentId: Type.Optional(DepartmentRef),
            disabled: Type.Optional(Type.Boolean()),
            password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      if (body.password !== undefined) assertPasswordPolicy(body.password);
      if (body.departmentId !== undefined) await assertDepartmentExists(db, body.departmentId);
      const row = await db
        .updateTable('joinery.users')
        .set({
          ...(body.displayName !== undefined && { display_name: body.displayName }),
          ...(body.email !== undefined && { email: body.email }),
          ...(body.locale !== undefined && { locale: body.locale }),
          ...(body.isAdmin !== undefined && { is_admin: body.isAdmin }),
          ...(body.departmentId !== undefined && { department_id: body.departmentId }),
          ...(body.disabled !== undefined && { disabled: body.disabled }),
          ...(body.password !== undefined && {
            password_hash: await hashPassword(body.password),
            must_change_password: true,
          }),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new JoineryError('JNY_USER_NOT_FOUND');
      if (body.disabled || body.password !== undefined) await sessions.deleteForUser(id);
      const { password, ...changes } = body;
      await auditRequest(db, request, 'user.update', `user:${id}`, {
        changes,
        ...(password !== undefined && { passwordReset: true }),
      });
      return toUser(row);
    },
  );
};

async function assertDepartmentExists(
  db: Kysely<JoineryDatabase>,
  id: string | null,
): Promise<void> {
  if (id === null) return;
  const found = await db
    .selectFrom('joinery.departments')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!found) throw new JoineryError('JNY_DEPARTMENT_NOT_FOUND');
}
