/**
 * A fresh idempotency key for one workflow action. `crypto.getRandomValues` rather than
 * `randomUUID`: on-prem servers are often reached over plain HTTP, where browsers offer only
 * the former.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
