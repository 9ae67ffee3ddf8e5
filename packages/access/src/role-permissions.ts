/** What a role may do with a form's records. */
export const FORM_ACTIONS = ['view', 'create', 'edit', 'delete', 'export', 'import'] as const;
export type FormAction = (typeof FORM_ACTIONS)[number];

/** A JSON-logic expression (validated by the rule engine when compiled). */
export type JsonLogic = unknown;

/**
 * Which rows a role reaches: all; those it owns (`owner` field); those owned by members of its
 * department, or of its department and every department below; or any JSON-logic condition over
 * the record and `$user` (e.g. `{"==": [{"var": "collector"}, {"var": "$user.id"}]}`).
 */
export type RowScope =
  | 'all'
  | 'own'
  | 'department'
  | 'department-tree'
  | { readonly logic: JsonLogic };

/** Per-field rights; a field not listed falls back to the `*` entry, then to read-only. */
export interface FieldRights {
  readonly read?: boolean;
  /** Defaults to `read`: a field hidden from the role is not writable unless this says so. */
  readonly write?: boolean;
  /** May see the value of a masked field in clear (each such read is audited). */
  readonly unmask?: boolean;
}

/** A role's rights on one form (or on every form of the app, under the key `*`). */
export interface FormPermission {
  readonly actions: readonly FormAction[];
  readonly rows?: RowScope;
  readonly fields?: Readonly<Record<string, FieldRights>>;
}

/** A role's rights in one app. */
export interface AppPermission {
  /** May change the app's metadata in the designer. */
  readonly design?: boolean;
  readonly forms: Readonly<Record<string, FormPermission>>;
}

/** Everything a role grants, app by app. Stored as JSON on the role. */
export interface RolePermissions {
  readonly apps: Readonly<Record<string, AppPermission>>;
}

const KEY = '^(\\*|[a-z][a-z0-9_]{0,62})$';

/** The JSON schema of {@link RolePermissions}; unknown properties are refused. */
export const rolePermissionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apps'],
  properties: {
    apps: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9_]{0,62}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['forms'],
        properties: {
          design: { type: 'boolean' },
          forms: {
            type: 'object',
            propertyNames: { pattern: KEY },
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['actions'],
              properties: {
                actions: {
                  type: 'array',
                  uniqueItems: true,
                  items: { enum: [...FORM_ACTIONS] },
                },
                rows: {
                  oneOf: [
                    { enum: ['all', 'own', 'department', 'department-tree'] },
                    {
                      type: 'object',
                      additionalProperties: false,
                      required: ['logic'],
                      properties: { logic: {} },
                    },
                  ],
                },
                fields: {
                  type: 'object',
                  propertyNames: { pattern: KEY },
                  additionalProperties: {
                    type: 'object',
                    additionalProperties: false,
                    properties: {
                      read: { type: 'boolean' },
                      write: { type: 'boolean' },
                      unmask: { type: 'boolean' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
