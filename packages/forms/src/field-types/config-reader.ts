/**
 * Small typed readers for field configs. Configs are checked against the type's JSON schema
 * before they are read, so these only pick values out with a default — without casts.
 */
export function readString(raw: Readonly<Record<string, unknown>>, key: string, fallback: string) {
  const value = raw[key];
  return typeof value === 'string' ? value : fallback;
}

/** Reads an optional string; `undefined` when absent. */
export function readOptionalString(
  raw: Readonly<Record<string, unknown>>,
  key: string,
): string | undefined {
  const value = raw[key];
  return typeof value === 'string' ? value : undefined;
}

/** Reads a number with a default. */
export function readNumber(raw: Readonly<Record<string, unknown>>, key: string, fallback: number) {
  const value = raw[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Reads a boolean with a default. */
export function readBoolean(
  raw: Readonly<Record<string, unknown>>,
  key: string,
  fallback: boolean,
) {
  const value = raw[key];
  return typeof value === 'boolean' ? value : fallback;
}

/** Reads a list of strings; non-strings are dropped. */
export function readStrings(
  raw: Readonly<Record<string, unknown>>,
  key: string,
  fallback: readonly string[],
): readonly string[] {
  const value = raw[key];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : fallback;
}

/** Narrows an unknown to a plain object. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
