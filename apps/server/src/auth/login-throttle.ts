import { type Kysely, sql } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';

/** How many failures lock an account, and for how long (the same span is the counting window). */
export interface ThrottlePolicy {
  readonly maxFailures: number;
  readonly lockSeconds: number;
}

/**
 * Counts failed sign-ins per username (known or not, so lockout does not reveal which usernames
 * exist) in Postgres, so every server process shares the count. After `maxFailures` failures
 * within the window the username is locked for `lockSeconds`.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Kysely<JoineryDatabase>,
    private readonly policy: ThrottlePolicy,
  ) {}

  /** Seconds until the username may try again, or 0 when it is not locked. */
  async lockedFor(username: string): Promise<number> {
    const row = await this.db
      .selectFrom('joinery.login_failures')
      .select('locked_until')
      .where('username', '=', username.toLowerCase())
      .executeTakeFirst();
    const until = row?.locked_until?.getTime() ?? 0;
    return Math.max(0, Math.ceil((until - Date.now()) / 1000));
  }

  /** Records one failure atomically; returns the seconds of lock it caused (0 if none). */
  async recordFailure(username: string): Promise<number> {
    const { maxFailures, lockSeconds } = this.policy;
    const window = sql`make_interval(secs => ${lockSeconds})`;
    const row = await this.db
      .insertInto('joinery.login_failures')
      .values({ username: username.toLowerCase(), failures: 1, window_started_at: sql`now()` })
      .onConflict((oc) =>
        oc.column('username').doUpdateSet({
          failures: sql`CASE WHEN joinery.login_failures.window_started_at < now() - ${window}
            THEN 1 ELSE joinery.login_failures.failures + 1 END`,
          window_started_at: sql`CASE WHEN joinery.login_failures.window_started_at < now() - ${window}
            THEN now() ELSE joinery.login_failures.window_started_at END`,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    if (row.failures < maxFailures) return 0;
    await this.db
      .updateTable('joinery.login_failures')
      .set({ locked_until: sql`now() + ${window}` })
      .where('username', '=', username.toLowerCase())
      .execute();
    return lockSeconds;
  }

  async clear(username: string): Promise<void> {
    await this.db
      .deleteFrom('joinery.login_failures')
      .where('username', '=', username.toLowerCase())
      .execute();
  }
}
