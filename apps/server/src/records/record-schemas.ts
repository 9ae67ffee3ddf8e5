import { Type } from 'typebox';
import { Uuid } from '../http/schemas.ts';

const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });

/** `:app` and `:form` of every records route. */
export const FormParams = Type.Object({ app: Key, form: Key }, { additionalProperties: false });
/** `:app`, `:form` and the record `:id`. */
export const RecordParams = Type.Object(
  { app: Key, form: Key, id: Uuid },
  { additionalProperties: false },
);

/** Field values by field key; each form's fields and types are in its published definition. */
export const Values = Type.Record(Type.String(), Type.Unknown());

/** A record: system fields, then `values` by field key (money as exact decimal strings). */
export const RecordSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  owner: Type.Union([Type.String(), Type.Null()]),
  deletedAt: Type.Union([Type.String(), Type.Null()]),
  values: Values,
  expanded: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

/** The query of a list (and of an export). */
/**
 * Which personal-data fields to show in clear (each such read audited): absent, all the caller
 * may unmask; `none`; or comma-separated field keys, each of which the caller must be allowed to
 * unmask (else 403).
 */
export const Unmask = Type.String({ maxLength: 1000, pattern: '^[a-z0-9_,]+$' });

export const ListQuery = Type.Object(
  {
    filter: Type.Optional(
      Type.String({ maxLength: 20_000, description: 'A JSON-logic condition (JSON text)' }),
    ),
    sort: Type.Optional(
      Type.String({ maxLength: 400, description: 'Field keys, comma-separated; `-` = descending' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 4000 })),
    count: Type.Optional(Type.Boolean({ description: 'Also answer the total number of matches' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text search over text fields' })),
    fields: Type.Optional(Type.String({ maxLength: 4000 })),
    expand: Type.Optional(Type.String({ maxLength: 1000 })),
    deleted: Type.Optional(
      Type.Union([Type.Literal('exclude'), Type.Literal('only'), Type.Literal('include')]),
    ),
    unmask: Type.Optional(Unmask),
  },
  { additionalProperties: false },
);

/** A page of records. */
export const RecordPageSchema = Type.Object({
  items: Type.Array(RecordSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Optional(Type.Integer()),
});

/** One entry of a record's change history. */
export const HistoryEntry = Type.Object({
  action: Type.String(),
  version: Type.Integer(),
  changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
  changedBy: Type.Union([Type.String(), Type.Null()]),
  changedByName: Type.Union([Type.String(), Type.Null()]),
  changedAt: Type.String(),
});
