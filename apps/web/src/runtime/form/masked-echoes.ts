type Values = Readonly<Record<string, unknown>>;

/**
 * The places in `sent` (field keys, or `key/row/field` in subform rows matched by id) that hold
 * exactly the masked value the form was loaded with (`138****1234`): personal data left as
 * shown. The server keeps the stored value for those — a mask sent back is no change — so the
 * form's own check must not refuse them as malformed values.
 */
export function maskedEchoPaths(sent: Values, loaded: Values): ReadonlySet<string> {
  const paths = new Set<string>();
  for (const [key, value] of Object.entries(sent)) {
    if (isMaskEcho(value, loaded[key])) paths.add(key);
    const before = loaded[key];
    if (!Array.isArray(value) || !Array.isArray(before)) continue;
    const rows = new Map<unknown, Values>();
    for (const row of before) if (isObject(row)) rows.set(row.id, row);
    value.forEach((row: unknown, index) => {
      const original = isObject(row) && row.id !== undefined ? rows.get(row.id) : undefined;
      if (!isObject(row) || original === undefined) return;
      for (const [field, cell] of Object.entries(row)) {
        if (isMaskEcho(cell, original[field])) paths.add(`${key}/${index}/${field}`);
      }
    });
  }
  return paths;
}

/** A masked value (it holds `*`) sent back unchanged. */
function isMaskEcho(value: unknown, loaded: unknown): boolean {
  return typeof value === 'string' && value.includes('*') && value === loaded;
}

function isObject(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
