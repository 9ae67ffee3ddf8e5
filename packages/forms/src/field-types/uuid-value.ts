import type { Normalised } from './define-field-type.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks a UUID (users, departments and records are referenced by UUID) and lower-cases it. */
export function normaliseUuid(value: unknown): Normalised {
  if (typeof value !== 'string') return { ok: false, rule: 'type', params: { expected: 'id' } };
  const lower = value.trim().toLowerCase();
  return UUID.test(lower)
    ? { ok: true, value: lower }
    : { ok: false, rule: 'format', params: { format: 'UUID' } };
}

/** Checks a list of distinct UUIDs of at most `max` items. */
export function normaliseUuidList(value: unknown, max: number): Normalised {
  if (!Array.isArray(value)) return { ok: false, rule: 'type', params: { expected: 'ids' } };
  if (value.length > max) return { ok: false, rule: 'maxItems', params: { limit: max } };
  const ids: string[] = [];
  for (const item of value) {
    const one = normaliseUuid(item);
    if (!one.ok) return one;
    if (typeof one.value === 'string' && !ids.includes(one.value)) ids.push(one.value);
  }
  return { ok: true, value: ids.length === 0 ? null : ids };
}

/** JSON schema of a UUID value. */
export const uuidSchema = { type: 'string', format: 'uuid' } as const;
