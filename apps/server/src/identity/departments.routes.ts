import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError } from '@joinery/shared';
import { type Kysely, type Selectable, sql } from 'kysely';
import { Type } from 'typebox';
import { auditRequest } from '../audit/request-audit.ts';
import type { DepartmentsTable, JoineryDatabase } from '../database/schema.ts';
import { errorResponses, IdParams, Uuid } from '../http/schemas.ts';

const Department = Type.Object({
  id: Type.String(),
  name: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  managerId: Type.Union([Type.String(), Type.Null()]),
});
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Ref = Type.Union([Uuid, Type.Null()]);

function toDepartment(row: Selectable<DepartmentsTable>) {
  return { id: row.id, name: row.name, parentId: row.parent_id, managerId: row.manager_id };
}

/** The organisation tree: departments with a parent and a manager. */
export const departmentRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<JoineryDatabase> }> = async (
  app,
  { db },
) => {
  app.get(
    '/api/departments',
    {
      config: { access: 'user' },
      schema: {
        tags: ['identity'],
        summary: 'All departments, as a flat list with parent ids (build the tree from it)',
        response: { 200: Type.Object({ items: Type.Array(Department) }), ...errorResponses },
      },
    },
    async () => ({
      items: (await db.selectFrom('joinery.departments').selectAll().orderBy('name').execute()).map(
        toDepartment,
      ),
    }),
  );

  app.post(
    '/api/departments',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['identity'],
        summary: 'Create a department',
        body: Type.Object(
          { name: Name, parentId: Type.Optional(Ref), managerId: Type.Optional(Ref) },
          { additionalProperties: false },
        ),
        response: { 201: Department, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, parentId = null, managerId = null } = request.body;
      await assertExists(db, 'joinery.departments', parentId, 'JNY_DEPARTMENT_NOT_FOUND');
      await assertExists(db, 'joinery.users', managerId, 'JNY_USER_NOT_FOUND');
      const row = await db
        .insertInto('joinery.departments')
        .values({ name, parent_id: parentId, manager_id: managerId })
        .returningAll()
        .executeTakeFirstOrThrow();
      await auditRequest(db, request, 'department.create', `department:${row.id}`, {
        after: toDepartment(row),
      });
      return reply.status(201).send(toDepartment(row));
    },
  );

  app.patch(
    '/api/departments/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['identity'],
        summary: 'Rename, move or change the manager of a department',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            parentId: Type.Optional(Ref),
            managerId: Type.Optional(Ref),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Department, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { name, parentId, managerId } = request.body;
      if (parentId !== undefined) {
        await assertExists(db, 'joinery.departments', parentId, 'JNY_DEPARTMENT_NOT_FOUND');
        if (parentId !== null && (await isSelfOrDescendant(db, id, parentId))) {
          throw new JoineryError('JNY_DEPARTMENT_CYCLE');
        }
      }
      if (managerId !== undefined)
        await assertExists(db, 'joinery.users', managerId, 'JNY_USER_NOT_FOUND');
      const row = await db
        .updateTable('joinery.departments')
        .set({
          ...(name !== undefined && { name }),
          ...(parentId !== undefined && { parent_id: parentId }),
          ...(managerId !== undefined && { manager_id: managerId }),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new JoineryError('JNY_DEPARTMENT_NOT_FOUND');
      await auditRequest(db, request, 'department.update', `department:${id}`, {
        changes: request.body,
      });
      return toDepartment(row);
    },
  );

  app.delete(
    '/api/departments/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['identity'],
        summary: 'Delete an empty department (no sub-departments, no members)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const busy = await db
        .selectFrom('joinery.departments')
        .select('id')
        .where('parent_id', '=', id)
        .union(db.selectFrom('joinery.users').select('id').where('department_id', '=', id))
        .executeTakeFirst();
      if (busy) throw new JoineryError('JNY_DEPARTMENT_NOT_EMPTY');
      const result = await db
        .deleteFrom('joinery.departments')
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new JoineryError('JNY_DEPARTMENT_NOT_FOUND');
      await auditRequest(db, request, 'department.delete', `department:${id}`);
      return reply.status(204).send(null);
    },
  );
};

/** True when `candidate` is `id` itself or lies anywhere below it in the tree. */
async function isSelfOrDescendant(db: Kysely<JoineryDatabase>, id: string, candidate: string) {
  const found = await sql<{ id: string }>`
    WITH RECURSIVE below AS (
      SELECT id FROM joinery.departments WHERE id = ${id}
      UNION
      SELECT d.id FROM joinery.departments d JOIN below b ON d.parent_id = b.id
    )
    SELECT id FROM below WHERE id = ${candidate}`.execute(db);
  return found.rows.length > 0;
}

async function assertExists(
  db: Kysely<JoineryDatabase>,
  table: 'joinery.departments' | 'joinery.users',
  id: string | null,
  code: 'JNY_DEPARTMENT_NOT_FOUND' | 'JNY_USER_NOT_FOUND',
): Promise<void> {
  if (id === null) return;
  const found = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (!found) throw new JoineryError(code);
}
