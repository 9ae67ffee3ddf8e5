/**
 * Wire types of `GET /api/me/access`: what the signed-in user may do, so the browser shows only
 * what the server would allow (the server enforces it regardless).
 */

/** The caller's rights on one form. */
export interface FormRights {
  /** `view`, `create`, `edit`, `delete`, `export`, `import`: those the roles grant. */
  readonly actions: readonly string[];
  /** Fields whose masked values the caller may reveal (each reveal is audited). */
  readonly unmask: readonly string[];
  /**
   * Readable fields the caller sees only masked: the server refuses filters and sorts on them
   * (`JNY_FIELD_MASKED_QUERY`) and a text search skips them, so the list offers neither.
   */
  readonly masked: readonly string[];
}

/** Per app key, per form key: the forms the caller has any right on (others are left out). */
export interface MyAccess {
  readonly apps: Readonly<Record<string, Readonly<Record<string, FormRights>>>>;
}
