import { JoineryError } from '@joinery/shared';
import { type CompiledWorkflow, compileWorkflow, validateWorkflow } from '@joinery/workflow';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { WorkflowDatabase } from './workflow-tables.ts';

/** A published version of a workflow, as listed. */
export interface PublishedWorkflow {
  readonly id: string;
  readonly app: string;
  readonly form: string;
  readonly key: string;
  readonly version: number;
  readonly definition: unknown;
  readonly publishedBy: string | null;
  readonly publishedAt: string;
}

type Db = Kysely<WorkflowDatabase> | Transaction<WorkflowDatabase>;

/**
 * Published workflow definitions. Publishing validates the whole graph through the engine (each
 * problem names its node) and stores a new immutable version; instances keep the version they
 * started on, so a new version never changes a running approval. Compiled workflows are cached
 * per version row — rows never change, so the cache never goes stale.
 */
export class WorkflowDefinitions {
  readonly #compiled = new Map<string, CompiledWorkflow>();

  constructor(private readonly db: Kysely<WorkflowDatabase>) {}

  /** Validates `raw` and publishes it as the next version of its key for the form. */
  async publish(
    app: string,
    form: string,
    raw: unknown,
    publishedBy: string,
  ): Promise<PublishedWorkflow> {
    const key = definitionKey(raw);
    return this.db.transaction().execute(async (trx) => {
      // Serialises publications of one workflow so versions are consecutive.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`workflow:${app}:${form}:${key}`}))`.execute(
        trx,
      );
      const last = await trx
        .selectFrom('joinery.workflow_definitions')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('app', '=', app)
        .where('form', '=', form)
        .where('key', '=', key)
        .executeTakeFirst();
      const version = Number(last?.version ?? 0) + 1;
      const definition = { ...(raw as object), id: key, version, form };
      const result = validateWorkflow(definition);
      if (!result.ok) compileWorkflow(definition); // throws JNY_WORKFLOW_DEFINITION_INVALID (400)
      const row = await trx
        .insertInto('joinery.workflow_definitions')
        .values({
          app,
          form,
          key,
          version,
          definition: JSON.stringify(definition),
          published_by: publishedBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPublished(row);
    });
  }

  /** Every version published for a form, newest first (`latestOnly`: one per key). */
  async list(app: string, form: string, latestOnly: boolean): Promise<PublishedWorkflow[]> {
    const rows = await this.db
      .selectFrom('joinery.workflow_definitions')
      .selectAll()
      .where('app', '=', app)
      .where('form', '=', form)
      .orderBy('key')
      .orderBy('version', 'desc')
      .execute();
    const seen = new Set<string>();
    return rows
      .filter((r) => {
        if (!latestOnly) return true;
        if (seen.has(r.key)) return false;
        seen.add(r.key);
        return true;
      })
      .map(toPublished);
  }

  /** The latest version of the form's workflow `key` (or of its only workflow). */
  async latest(db: Db, app: string, form: string, key: string | undefined) {
    let query = db
      .selectFrom('joinery.workflow_definitions')
      .select(['id', 'key', 'version'])
      .where('app', '=', app)
      .where('form', '=', form)
      .orderBy('version', 'desc');
    if (key !== undefined) query = query.where('key', '=', key);
    const rows = await query.execute();
    const first = rows[0];
    if (first === undefined) {
      throw new JoineryError('JNY_WORKFLOW_RUNTIME_DEFINITION_NOT_FOUND', {
        form,
        workflow: key ?? '',
      });
    }
    if (key === undefined && rows.some((r) => r.key !== first.key)) {
      throw new JoineryError('JNY_WORKFLOW_RUNTIME_DEFINITION_AMBIGUOUS', { form });
    }
    return first;
  }

  /** The compiled workflow of a published version row. */
  async compiled(db: Db, id: string): Promise<CompiledWorkflow> {
    const cached = this.#compiled.get(id);
    if (cached) return cached;
    const row = await db
      .selectFrom('joinery.workflow_definitions')
      .select('definition')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const workflow = compileWorkflow(row.definition);
    this.#compiled.set(id, workflow);
    return workflow;
  }
}

function definitionKey(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null && 'id' in raw ? raw.id : undefined;
  if (typeof id === 'string' && /^[A-Za-z][\w-]{0,62}$/.test(id)) return id;
  throw new JoineryError(
    'JNY_WORKFLOW_DEFINITION_INVALID',
    { details: '/id: expected a key of letters, digits, - and _' },
    [{ field: '/id', reason: 'expected a key of letters, digits, - and _' }],
  );
}

function toPublished(row: {
  id: string;
  app: string;
  form: string;
  key: string;
  version: number;
  definition: unknown;
  published_by: string | null;
  published_at: Date;
}): PublishedWorkflow {
  return {
    id: row.id,
    app: row.app,
    form: row.form,
    key: row.key,
    version: row.version,
    definition: row.definition,
    publishedBy: row.published_by,
    publishedAt: row.published_at.toISOString(),
  };
}
