import { type Kysely, sql } from 'kysely';

/**
 * Apps, forms (draft and immutable published versions), per-record change history, serial
 * number counters, stored files and import jobs. The records themselves live in one schema per
 * app (`app_<key>`), created by publishing, not by migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('joinery');
  const now = sql`now()`;
  await schema
    .createTable('apps')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'jsonb')
    .addColumn('created_by', 'uuid', (c) => c.references('joinery.users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await schema
    .createTable('forms')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('app_id', 'uuid', (c) =>
      c.notNull().references('joinery.apps.id').onDelete('cascade'),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('draft', 'jsonb', (c) => c.notNull())
    .addColumn('draft_updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('published_version', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('forms_app_key_unique', ['app_id', 'key'])
    .execute();
  await schema
    .createTable('form_versions')
    .addColumn('form_id', 'uuid', (c) =>
      c.notNull().references('joinery.forms.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('published_by', 'uuid', (c) => c.references('joinery.users.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('form_versions_pk', ['form_id', 'version'])
    .execute();
  await schema
    .createTable('record_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('form_id', 'uuid', (c) =>
      c.notNull().references('joinery.forms.id').onDelete('cascade'),
    )
    .addColumn('record_id', 'uuid', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('record_version', 'integer', (c) => c.notNull())
    .addColumn('changes', 'jsonb', (c) => c.notNull())
    .addColumn('changed_by', 'uuid')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await schema
    .createIndex('record_history_record_idx')
    .on('record_history')
    .columns(['form_id', 'record_id', 'id'])
    .execute();
  await schema
    .createTable('serial_counters')
    .addColumn('form_id', 'uuid', (c) =>
      c.notNull().references('joinery.forms.id').onDelete('cascade'),
    )
    .addColumn('field_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('serial_counters_pk', ['form_id', 'field_id', 'scope'])
    .execute();
  await schema
    .createTable('files')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('form_id', 'uuid', (c) => c.references('joinery.forms.id').onDelete('set null'))
    .addColumn('field_key', 'text', (c) => c.notNull())
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'uuid', (c) => c.references('joinery.users.id').onDelete('set null'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await schema
    .createTable('import_jobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('form_id', 'uuid', (c) =>
      c.notNull().references('joinery.forms.id').onDelete('cascade'),
    )
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inserted_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invalid_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('problems', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_by', 'uuid', (c) => c.references('joinery.users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('finished_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'import_jobs',
    'files',
    'serial_counters',
    'record_history',
    'form_versions',
    'forms',
    'apps',
  ]) {
    await db.schema.withSchema('joinery').dropTable(table).ifExists().execute();
  }
}
