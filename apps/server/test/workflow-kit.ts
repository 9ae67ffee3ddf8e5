import { createTestDatabase } from '@joinery/postgres';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { expect } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ApiTokenStore } from '../src/auth/api-token-store.ts';
import { loadConfig } from '../src/config/config.ts';
import { connectTo, type Database } from '../src/database/connect.ts';
import { migrateToLatest } from '../src/database/migrate.ts';
import { createAdmin } from '../src/identity/bootstrap-admin.ts';
import { migrateJobQueue } from '../src/jobs/job-worker.ts';
import {
  createWorkflowServices,
  type WorkflowServices,
} from '../src/workflow/workflow-services.ts';

/** A user of a test, acting through an API token. */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly headers: { authorization: string };
}

/** An open task as the API lists it. */
export interface ApiTask {
  id: string;
  key: string;
  nodeId: string;
  kind: string;
  assignees: string[];
  claimedBy: string | null;
  deadline: string | null;
}

/** The API's answer after a step. */
export interface ApiSummary {
  instanceId: string;
  status: string;
  outcome: string | null;
  version: number;
  openTasks: ApiTask[];
}

/**
 * The real application on its own database, with the workflow services exposed, graphile-worker's
 * schema migrated, and (optionally) the job worker running and the test clock on. Users act
 * through API tokens (no password hashing per user, so a test can make fifty of them quickly).
 */
export class WorkflowKit {
  private constructor(
    readonly app: FastifyInstance,
    readonly database: Database,
    readonly services: WorkflowServices,
    readonly admin: Actor,
  ) {}

  static async create(options: { worker?: boolean; env?: Record<string, string> } = {}) {
    const testDb = await createTestDatabase();
    const config = loadConfig({
      DATABASE_URL: testDb.url,
      LOG_LEVEL: 'silent',
      JOINERY_WEB_DIR: '/nonexistent-web-build',
      JOINERY_TEST_CLOCK: 'true',
      JOINERY_JOB_CONCURRENCY: '2',
      ...options.env,
    });
    const logger = pino({ level: 'silent' });
    const database = await connectTo(testDb.url, logger, testDb.drop);
    await migrateToLatest(database.db);
    await migrateJobQueue(database.pool);
    await createAdmin(database.db, 'admin', 'Admin-password-2026');
    const services = createWorkflowServices({ config, db: database.db, logger });
    if (options.worker) await services.startWorker(database.pool, { pollInterval: 200 });
    const app = await buildApp({ config, db: database.db, logger, workflow: services });
    await app.ready();
    const adminRow = await database.db
      .selectFrom('joinery.users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    const admin = await tokenFor(database, adminRow.id, 'admin');
    return new WorkflowKit(app, database, services, admin);
  }

  /** The database with the workflow tables typed. */
  get db() {
    return this.services.db;
  }

  async close(): Promise<void> {
    await this.services.stopWorker();
    await this.app.close();
    await this.database.close();
  }

  /**
   * A user with roles and a department; `admin` makes them an administrator. Every user holds
   * the kit's all-records role unless `recordsRole: false` (for tests of narrower roles).
   */
  async user(
    name: string,
    options: { roles?: string[]; department?: string; admin?: boolean; recordsRole?: boolean } = {},
  ): Promise<Actor> {
    const db = this.database.db;
    const row = await db
      .insertInto('joinery.users')
      .values({
        username: name,
        display_name: name,
        password_hash: 'not-used-in-tests',
        department_id: options.department ?? null,
        is_admin: options.admin ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const actor = await tokenFor(this.database, row.id, name);
    const base = options.recordsRole === false ? [] : [RECORDS_ROLE];
    for (const role of [...base, ...(options.roles ?? [])]) await this.addRole(actor, role);
    return actor;
  }

  /** Gives a user one more role. */
  async addRole(user: Actor, role: string): Promise<void> {
    const db = this.database.db;
    await sql`INSERT INTO joinery.roles (key, name) VALUES (${role}, ${JSON.stringify({ en: role })}::jsonb)
      ON CONFLICT (key) DO NOTHING`.execute(db);
    await sql`INSERT INTO joinery.user_roles (user_id, role_id)
      SELECT ${user.id}::uuid, id FROM joinery.roles WHERE key = ${role}`.execute(db);
  }

  /** A role granting `permissions` per form of `app` (`{ loan: { actions, rows, fields } }`). */
  async role(key: string, app: string, forms: Record<string, object>): Promise<void> {
    const permissions = { apps: { [app]: { forms } } };
    await sql`INSERT INTO joinery.roles (key, name, permissions)
      VALUES (${key}, ${JSON.stringify({ 'zh-CN': key, en: key })}::jsonb,
              ${JSON.stringify(permissions)}::jsonb)`.execute(this.database.db);
  }

  /** A department; returns its id. */
  async department(name: string, managerId?: string, parentId?: string): Promise<string> {
    const row = await this.database.db
      .insertInto('joinery.departments')
      .values({ name, manager_id: managerId ?? null, parent_id: parentId ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Publishes a form (creating its app on first use) through the metadata API. */
  async form(app: string, key: string, fields: readonly object[]): Promise<void> {
    const headers = { ...this.admin.headers, 'accept-language': 'en' };
    const created = await this.app.inject({
      method: 'POST',
      url: '/api/apps',
      headers,
      payload: { key: app, label: { 'zh-CN': app, en: app } },
    });
    expect([201, 409], created.body).toContain(created.statusCode);
    const draft = await this.app.inject({
      method: 'PUT',
      url: `/api/apps/${app}/forms/${key}/draft`,
      headers,
      payload: { key, label: { 'zh-CN': key, en: key }, fields },
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const published = await this.app.inject({
      method: 'POST',
      url: `/api/apps/${app}/forms/${key}/publish`,
      headers,
    });
    expect(published.statusCode, published.body).toBe(200);
    await grantRecordsRole(this.database.db, app);
  }

  /** Creates a record through the records API (as `as`, the admin by default); returns its id. */
  async record(
    app: string,
    form: string,
    values: Record<string, unknown>,
    as: Actor = this.admin,
  ): Promise<string> {
    const response = await this.app.inject({
      method: 'POST',
      url: `/api/apps/${app}/forms/${form}/records`,
      headers: { ...as.headers, 'accept-language': 'en' },
      payload: { values },
    });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { id: string }).id;
  }

  /** A record's field values, read through the records API. */
  async readRecord(app: string, form: string, id: string): Promise<Record<string, unknown>> {
    const response = await this.app.inject({
      method: 'GET',
      url: `/api/apps/${app}/forms/${form}/records/${id}`,
      headers: this.admin.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { values: Record<string, unknown> }).values;
  }

  /** Publishes a definition as the admin; returns the published version row. */
  async publish(app: string, form: string, definition: unknown) {
    const response = await this.app.inject({
      method: 'POST',
      url: `/api/apps/${app}/forms/${form}/workflows`,
      headers: this.admin.headers,
      payload: definition as object,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; key: string; version: number };
  }

  /** Starts the form's workflow on a record as `actor`. */
  async start(
    actor: Actor,
    app: string,
    form: string,
    recordId: string,
    options: { workflow?: string; key?: string } = {},
  ): Promise<ApiSummary> {
    const response = await this.app.inject({
      method: 'POST',
      url: '/api/workflow/instances',
      headers: { ...actor.headers, ...(options.key ? { 'idempotency-key': options.key } : {}) },
      payload: { app, form, recordId, ...(options.workflow ? { workflow: options.workflow } : {}) },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as ApiSummary;
  }

  /** Sends a task action; returns the raw response. */
  actRaw(actor: Actor, taskId: string, body: Record<string, unknown>, key?: string) {
    return this.app.inject({
      method: 'POST',
      url: `/api/workflow/tasks/${taskId}/actions`,
      headers: { ...actor.headers, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body,
    });
  }

  /** Sends a task action that must succeed. */
  async act(
    actor: Actor,
    taskId: string,
    body: Record<string, unknown>,
    key?: string,
  ): Promise<ApiSummary> {
    const response = await this.actRaw(actor, taskId, body, key);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ApiSummary;
  }

  /** Sends an instance action that must succeed. */
  async actOnInstance(actor: Actor, instanceId: string, body: Record<string, unknown>) {
    const response = await this.app.inject({
      method: 'POST',
      url: `/api/workflow/instances/${instanceId}/actions`,
      headers: actor.headers,
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ApiSummary;
  }

  /** The single open task of `actor` in an instance (optionally at a node). */
  async taskOf(actor: Actor, instanceId: string, nodeId?: string): Promise<ApiTask> {
    const response = await this.app.inject({
      method: 'GET',
      url: '/api/workflow/tasks?box=todo&limit=200',
      headers: actor.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const items = (response.json() as { items: (ApiTask & { instanceId: string })[] }).items.filter(
      (t) => t.instanceId === instanceId && (nodeId === undefined || t.nodeId === nodeId),
    );
    expect(items, `${actor.name}'s open tasks at ${nodeId ?? 'any node'}`).toHaveLength(1);
    return items[0] as ApiTask;
  }

  /** Approves the one open task of each actor in turn. */
  async approve(instanceId: string, ...actors: Actor[]): Promise<ApiSummary | undefined> {
    let last: ApiSummary | undefined;
    for (const actor of actors) {
      const task = await this.taskOf(actor, instanceId);
      last = await this.act(actor, task.id, { action: 'approve' });
    }
    return last;
  }

  /** The instance summary as a participant or admin sees it. */
  async instance(instanceId: string, actor: Actor = this.admin) {
    const response = await this.app.inject({
      method: 'GET',
      url: `/api/workflow/instances/${instanceId}`,
      headers: actor.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ApiSummary & { recordId: string };
  }

  /** Open task node ids of an instance, sorted. */
  async openNodes(instanceId: string): Promise<string[]> {
    return (await this.instance(instanceId)).openTasks.map((t) => t.nodeId).sort();
  }

  /** Timeline actions as `action@node`. */
  async timeline(instanceId: string, actor: Actor = this.admin): Promise<string[]> {
    const response = await this.app.inject({
      method: 'GET',
      url: `/api/workflow/instances/${instanceId}/timeline`,
      headers: actor.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const entries = (response.json() as { entries: { action: string; nodeId: string | null }[] })
      .entries;
    return entries.map((e) => (e.nodeId ? `${e.action}@${e.nodeId}` : e.action));
  }

  /** Moves the server's clock forward (test mode) and runs the jobs that fall due. */
  async advanceClock(seconds: number): Promise<number> {
    const response = await this.app.inject({
      method: 'POST',
      url: '/api/test/clock/advance',
      headers: this.admin.headers,
      payload: { seconds },
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { jobsRun: number }).jobsRun;
  }
}

async function tokenFor(database: Database, userId: string, name: string): Promise<Actor> {
  const issued = await new ApiTokenStore(database.db).issue(userId, 'test', null);
  return { id: userId, name, headers: { authorization: `Bearer ${issued.token}` } };
}

/** A node of a definition, briefly. */
export function node(id: string, type: string, params?: Record<string, unknown>) {
  return { id, type, version: 1, ...(params === undefined ? {} : { params }) };
}

/** An approval step for fixed users. */
export function step(id: string, userIds: string[], next: string, extra: object = {}) {
  return node(id, 'approval', { assignees: [{ kind: 'users', userIds }], next, ...extra });
}

/**
 * The role every kit user holds: all record actions on every form of the apps the kit
 * publishes, so workflow tests act through the access layer like real users with a role.
 */
const RECORDS_ROLE = 'test_records';

async function grantRecordsRole(db: Database['db'], app: string): Promise<void> {
  const grant = {
    forms: {
      '*': { actions: ['view', 'create', 'edit', 'delete', 'export', 'import'], rows: 'all' },
    },
  };
  await sql`INSERT INTO joinery.roles (key, name, permissions)
    VALUES (${RECORDS_ROLE}, ${JSON.stringify({ 'zh-CN': '测试', en: 'test' })}::jsonb,
            jsonb_build_object('apps', jsonb_build_object(${app}::text, ${JSON.stringify(grant)}::jsonb)))
    ON CONFLICT (key) DO UPDATE SET permissions = jsonb_set(
      joinery.roles.permissions, ARRAY['apps', ${app}::text], ${JSON.stringify(grant)}::jsonb)`.execute(
    db,
  );
}
