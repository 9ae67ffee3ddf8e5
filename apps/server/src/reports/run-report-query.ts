import { JoineryError } from '@joinery/shared';
import type { CompiledQuery, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { appSchemaName } from '../metadata/form-table.ts';

/** SQLSTATE `query_canceled`: the statement timeout fired (or an operator cancelled it). */
const QUERY_CANCELED = '57014';

/** Seconds a client is asked to wait before running a widget that timed out again. */
const RETRY_AFTER_SECONDS = 60;

/**
 * Runs a report's one statement in a read-only transaction with `search_path` set to the app's
 * schema (the engine's dataset tables are unqualified), a `statement_timeout`, and JIT off. The
 * settings are `set_config(…, true)`: local to the transaction, so the pooled connection is left
 * as it was. JIT is off because a multi-source report joins its groups with `is not distinct
 * from` (not hash-joinable), which Postgres costs as if every row were a group: the estimate
 * crosses `jit_above_cost` and compiling took 1.4 s for a statement that ran in 60 ms. A value Postgres cannot read as its column's type (a global filter's `"abc"` compared
 * with a date) is the caller's error, not a 500; a statement cancelled by the timeout answers
 * `JNY_REPORT_TIMEOUT` (503, see the catalogue for why not 4xx). `timeoutMs` is the server's
 * `JOINERY_REPORT_TIMEOUT_MS`.
 */
export async function runReportQuery(
  db: Kysely<JoineryDatabase>,
  appKey: string,
  compiled: CompiledQuery<Record<string, unknown>>,
  timeoutMs: number,
): Promise<Record<string, unknown>[]> {
  try {
    return await db
      .transaction()
      .setAccessMode('read only')
      .execute(async (trx) => {
        await sql`select set_config('search_path', ${quoteIdent(appSchemaName(appKey))}, true),
          set_config('statement_timeout', ${String(timeoutMs)}, true),
          set_config('jit', 'off', true)`.execute(trx);
        const result = await trx.executeQuery(compiled);
        return result.rows;
      });
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code === QUERY_CANCELED) {
      throw new JoineryError('JNY_REPORT_TIMEOUT', {
        seconds: timeoutMs / 1000,
        retryAfter: RETRY_AFTER_SECONDS,
      });
    }
    if (code.startsWith('22')) {
      throw new JoineryError('JNY_REPORT_FILTER_INVALID', {
        path: '/globalFilters',
        reason: 'a value does not fit its field',
      });
    }
    throw error;
  }
}

/** `"name"` with inner quotes doubled: the schema name as `search_path` text expects it. */
function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
