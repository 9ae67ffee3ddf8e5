/**
 * Where a form's data lives. Every app has its own Postgres schema `app_<appkey>`; a form is
 * the table `<formkey>` in it; a subform is the child table `<formkey>__<fieldkey>` and a
 * many-relation the junction table `<formkey>__<fieldkey>` (form keys may not contain `__`,
 * so these never collide with a form's table). All keys passed the identifier pattern, and
 * every name reaches SQL through `sql.id`/kysely's identifier quoting, never spliced as text.
 */
export function appSchemaName(appKey: string): string {
  return `app_${appKey}`;
}

/** The table of a form. */
export function formTableName(formKey: string): string {
  return formKey;
}

/** The child table of a subform, or the junction table of a many-relation. */
export function childTableName(formKey: string, fieldKey: string): string {
  return `${formKey}__${fieldKey}`;
}

/**
 * An index or constraint name: unique per schema, at most 63 bytes. Built from the table and
 * the field's stable id (not its key), so renaming a field leaves its index name valid; a name
 * that would be too long is shortened with a hash of the whole, so it stays unique.
 */
export function constraintName(table: string, fieldId: string, suffix: string): string {
  const full = `${table}_${fieldId}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (full.length <= 63) return full;
  return `${full.slice(0, 50)}_${fnv1a(full)}`;
}

const BLIND_INDEX_SUFFIX = '__bidx';

/**
 * The column beside a sensitive field's column that holds the keyed hash of its value (for
 * equality search and uniqueness): `<key>__bidx`, shortened with a hash when it would pass 63
 * bytes. Field keys ending in `__bidx` are refused, so it never meets a field's column.
 */
export function blindIndexColumn(fieldKey: string): string {
  const full = `${fieldKey}${BLIND_INDEX_SUFFIX}`;
  if (full.length <= 63) return full;
  return `${fieldKey.slice(0, 48)}_${fnv1a(fieldKey)}${BLIND_INDEX_SUFFIX}`;
}

/** True for a name of the blind-index kind, which no field key may take. */
export function isBlindIndexColumn(name: string): boolean {
  return name.endsWith(BLIND_INDEX_SUFFIX);
}

/** FNV-1a 32-bit, hex: a short stable hash (not for security). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
