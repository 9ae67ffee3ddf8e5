import { type Kysely, sql } from 'kysely';

/**
 * Automation rules per app (the validated definition as JSON, with its trigger kind and form
 * pulled out for the lookup each record write makes), their run log, the round-robin cursors of
 * owner assignment (one row per rule and team, locked while a member is picked), and a simple
 * per-user notifications table (tasks and messages opened by rules).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('joinery');
  const now = sql`now()`;
  await schema
    .createTable('automation_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('app_id', 'uuid', (c) =>
      c.notNull().references('joinery.apps.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('trigger_form', 'text')
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('hook_secret_hash', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('joinery.users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await schema
    .createIndex('automation_rules_trigger_idx')
    .on('automation_rules')
    .columns(['app_id', 'trigger_form', 'trigger_kind'])
    .where(sql.ref('enabled'), '=', true)
    .execute();
  await schema
    .createTable('automation_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('rule_id', 'uuid', (c) =>
      c.notNull().references('joinery.automation_rules.id').onDelete('cascade'),
    )
    .addColumn('app_id', 'uuid', (c) =>
      c.notNull().references('joinery.apps.id').onDelete('cascade'),
    )
    .addColumn('trigger', 'jsonb', (c) => c.notNull())
    .addColumn('chain', 'jsonb', (c) => c.notNull())
    .addColumn('matched', 'boolean', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actions', 'jsonb', (c) => c.notNull())
    .addColumn('error', 'jsonb')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await schema
    .createIndex('automation_runs_app_idx')
    .on('automation_runs')
    .columns(['app_id', 'started_at desc', 'id'])
    .execute();
  await schema
    .createIndex('automation_runs_rule_idx')
    .on('automation_runs')
    .columns(['rule_id', 'started_at desc'])
    .execute();
  await schema
    .createTable('automation_assignment_cursors')
    .addColumn('rule_id', 'uuid', (c) =>
      c.notNull().references('joinery.automation_rules.id').onDelete('cascade'),
    )
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('last_user_id', 'uuid')
    .addColumn('assigned', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('automation_assignment_cursors_pk', ['rule_id', 'team'])
    .execute();
  await schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) =>
      c.notNull().references('joinery.users.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('app', 'text')
    .addColumn('form', 'text')
    .addColumn('record_id', 'uuid')
    .addColumn('rule_id', 'uuid', (c) =>
      c.references('joinery.automation_rules.id').onDelete('set null'),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'created_at desc'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'notifications',
    'automation_assignment_cursors',
    'automation_runs',
    'automation_rules',
  ]) {
    await db.schema.withSchema('joinery').dropTable(table).ifExists().execute();
  }
}
