import { type Kysely, sql } from 'kysely';

/**
 * The checks a request's cached credential must still pass, as functions a route's own statement
 * calls (see `withStatementCredential`): the same live session of the same user with the same
 * CSRF token — or the same valid API token of the same user — and the same organisation version
 * (statement triggers bump it on every change to users, roles, role membership and departments,
 * so an unchanged version means the user is still enabled, with the same roles, as resolved).
 * As sub-queries written into each statement they were planned with it on every request (about
 * 0.08 ms of a list's 0.8 ms round trip); PL/pgSQL plans a function's queries once per connection.
 * STABLE: they read with the calling statement's snapshot, as the sub-queries did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE FUNCTION joinery.session_holds(p_session text, p_user uuid, p_csrf text,
      p_now timestamptz, p_idle_since timestamptz, p_org_version bigint)
    RETURNS boolean LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN EXISTS (SELECT FROM joinery.sessions s
          WHERE s.id = p_session AND s.expires_at > p_now AND s.last_seen_at > p_idle_since
            AND s.user_id = p_user AND s.csrf_token = p_csrf)
        AND (SELECT o.version FROM joinery.org_version o) = p_org_version;
    END $$`.execute(db);
  await sql`CREATE FUNCTION joinery.token_holds(p_token_hash text, p_user uuid, p_now timestamptz,
      p_org_version bigint)
    RETURNS boolean LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN EXISTS (SELECT FROM joinery.api_tokens t
          WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL
            AND (t.expires_at IS NULL OR t.expires_at > p_now) AND t.user_id = p_user)
        AND (SELECT o.version FROM joinery.org_version o) = p_org_version;
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION joinery.token_holds`.execute(db);
  await sql`DROP FUNCTION joinery.session_holds`.execute(db);
}
