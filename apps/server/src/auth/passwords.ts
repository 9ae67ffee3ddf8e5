import { errorCatalogue, formatText, JoineryError } from '@joinery/shared';
import { hash, verify } from '@node-rs/argon2';
import { randomSecret } from './secrets.ts';

/** The shortest password accepted. */
export const PASSWORD_MIN_LENGTH = 10;

/** Hashes a password with argon2id (the library's defaults follow OWASP's recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified against when the user does not exist, so a wrong username costs as long as a wrong
// password and response times do not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;

/** Checks a password against a stored hash, or against a dummy hash when there is none. */
export async function verifyPassword(
  storedHash: string | undefined,
  password: string,
): Promise<boolean> {
  if (storedHash === undefined) {
    dummyHash ??= hash(randomSecret());
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** Throws JNY_AUTH_PASSWORD_WEAK unless the password is long enough and mixes letters and digits. */
export function assertPasswordPolicy(password: string, field = '/body/password'): void {
  const ok =
    password.length >= PASSWORD_MIN_LENGTH && /\p{L}/u.test(password) && /\p{Nd}/u.test(password);
  if (!ok) {
    const params = { minLength: PASSWORD_MIN_LENGTH };
    const text = errorCatalogue.JNY_AUTH_PASSWORD_WEAK.message;
    const reason = { 'zh-CN': formatText(text['zh-CN'], params), en: formatText(text.en, params) };
    throw new JoineryError('JNY_AUTH_PASSWORD_WEAK', params, [{ field, reason }]);
  }
}

/** A generated password that meets the policy (for the first admin and resets). */
export function generatePassword(): string {
  return `${randomSecret(12)}7a`;
}
