import { type Kysely, sql } from 'kysely';
import { assertPasswordPolicy, generatePassword, hashPassword } from '../auth/passwords.ts';
import type { JoineryDatabase } from '../database/schema.ts';

/** The outcome of ensuring an administrator exists. */
export type BootstrapOutcome =
  | { readonly created: false }
  | { readonly created: true; readonly username: string; readonly generatedPassword?: string };

/**
 * On a database without any user, creates the administrator `admin` with the given password, or
 * with a generated one that the caller shows once (it must be changed at first sign-in). Never a
 * fixed default password. Concurrent starts are safe: the username is unique.
 */
export async function bootstrapAdmin(
  db: Kysely<JoineryDatabase>,
  password: string | undefined,
): Promise<BootstrapOutcome> {
  const existing = await db.selectFrom('joinery.users').select('id').limit(1).executeTakeFirst();
  if (existing) return { created: false };
  return createAdmin(db, 'admin', password);
}

/** Creates an administrator (the `create-admin` command); generates the password if none given. */
export async function createAdmin(
  db: Kysely<JoineryDatabase>,
  username: string,
  password: string | undefined,
): Promise<BootstrapOutcome> {
  if (password !== undefined) assertPasswordPolicy(password, 'JOINERY_ADMIN_PASSWORD');
  const secret = password ?? generatePassword();
  const inserted = await db
    .insertInto('joinery.users')
    .values({
      username,
      display_name: username === 'admin' ? '系统管理员' : username,
      password_hash: await hashPassword(secret),
      is_admin: true,
      must_change_password: password === undefined,
    })
    .onConflict((oc) => oc.expression(sql`lower(username)`).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return { created: false };
  return password === undefined
    ? { created: true, username, generatedPassword: secret }
    : { created: true, username };
}
