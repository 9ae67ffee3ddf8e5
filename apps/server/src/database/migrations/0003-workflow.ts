import { type Kysely, sql } from 'kysely';

/**
 * Durable workflows: published definitions (versioned, immutable), instances (the engine's
 * state as JSON, locked row by row), tasks (the inbox), the timeline, notifications, idempotency
 * keys of actions.
 * Scheduled work lives in graphile-worker's own schema, migrated at start by the job worker.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('joinery');
  const now = sql`now()`;
  await schema
    .createTable('workflow_definitions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('published_by', 'uuid', (c) => c.references('joinery.users.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('workflow_definitions_version_unique', ['app', 'form', 'key', 'version'])
    .execute();
  await schema
    .createTable('workflow_instances')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('definition_id', 'uuid', (c) =>
      c.notNull().references('joinery.workflow_definitions.id'),
    )
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('submitter', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // One live approval per record; a finished one may be followed by a new submission.
  await sql`CREATE UNIQUE INDEX workflow_instances_live_record ON joinery.workflow_instances
    (app, form, record_id) WHERE status <> 'finished'`.execute(db);
  await sql`CREATE INDEX workflow_instances_submitter ON joinery.workflow_instances
    (submitter, started_at DESC)`.execute(db);
  await sql`CREATE INDEX workflow_instances_running ON joinery.workflow_instances
    (updated_at) WHERE status <> 'finished'`.execute(db);
  await schema
    .createTable('workflow_tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('instance_id', 'uuid', (c) =>
      c.notNull().references('joinery.workflow_instances.id').onDelete('cascade'),
    )
    .addColumn('task_key', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('assignees', sql`uuid[]`, (c) => c.notNull())
    .addColumn('offered', 'boolean', (c) => c.notNull())
    .addColumn('claimed_by', 'uuid')
    .addColumn('on_behalf_of', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('close_reason', 'text')
    .addColumn('closed_by', 'uuid')
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('deadline', 'timestamptz')
    // Opening a task twice is a bug the database refuses, whatever the code does.
    .addUniqueConstraint('workflow_tasks_key_unique', ['instance_id', 'task_key'])
    .execute();
  await sql`CREATE INDEX workflow_tasks_open_assignees ON joinery.workflow_tasks
    USING gin (assignees) WHERE status = 'open'`.execute(db);
  await sql`CREATE INDEX workflow_tasks_closed_by ON joinery.workflow_tasks
    (closed_by, closed_at DESC) WHERE closed_by IS NOT NULL`.execute(db);
  await schema
    .createTable('workflow_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('instance_id', 'uuid', (c) =>
      c.notNull().references('joinery.workflow_instances.id').onDelete('cascade'),
    )
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('task_key', 'text')
    .addColumn('on_behalf_of', 'uuid')
    .addColumn('comment', 'text')
    .addColumn('attachments', sql`text[]`)
    .addColumn('time_spent_ms', 'bigint')
    .addColumn('details', 'jsonb')
    .execute();
  await schema
    .createIndex('workflow_history_instance')
    .on('workflow_history')
    .columns(['instance_id', 'id'])
    .execute();
  await schema
    .createTable('workflow_notifications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('instance_id', 'uuid', (c) =>
      c.notNull().references('joinery.workflow_instances.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('task_key', 'text')
    .addColumn('message', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz')
    .execute();
  await schema
    .createIndex('workflow_notifications_user')
    .on('workflow_notifications')
    .columns(['user_id', 'kind', 'created_at'])
    .execute();
  await schema
    .createTable('workflow_action_keys')
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'uuid')
    // A hash of what was asked: the same key sent with another request is refused.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('workflow_action_keys_pk', ['user_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'workflow_action_keys',
    'workflow_notifications',
    'workflow_history',
    'workflow_tasks',
    'workflow_instances',
    'workflow_definitions',
  ]) {
    await db.schema.withSchema('joinery').dropTable(table).ifExists().execute();
  }
}
