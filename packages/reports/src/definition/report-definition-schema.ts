/**
 * Keys of sources, dimensions and measures: they become SQL column aliases (still quoted). The
 * `jny_` prefix is kept for the engine's own CTEs and aliases.
 */
export const KEY_PATTERN = '^(?!jny_)[a-z][a-z0-9_]{0,62}$';
/** A field path: a field name, or `relation.field`. */
const FIELD_PATH_PATTERN = '^[^.]{1,128}(\\.[^.]{1,128})?$';
/** The most groups a report returns. */
export const MAX_REPORT_ROWS = 10_000;

const localized = {
  type: 'object',
  properties: {
    'zh-CN': { type: 'string', maxLength: 200 },
    en: { type: 'string', maxLength: 200 },
  },
  additionalProperties: false,
} as const;

const key = { type: 'string', pattern: KEY_PATTERN } as const;
const fieldPath = { type: 'string', pattern: FIELD_PATH_PATTERN } as const;
const fieldBinding = {
  oneOf: [
    fieldPath,
    {
      type: 'object',
      propertyNames: key,
      additionalProperties: fieldPath,
      minProperties: 1,
      maxProperties: 20,
    },
  ],
} as const;
/**
 * A global field's binding: as a dimension's, or an object that may name no source at all — the
 * report then accepts the dashboard's filter on that name and reports it in
 * `ignoredGlobalFilters` (a snapshot widget on a dashboard with a period), where an undeclared
 * name is refused.
 */
const globalFieldBinding = {
  oneOf: [
    fieldPath,
    { type: 'object', propertyNames: key, additionalProperties: fieldPath, maxProperties: 20 },
  ],
} as const;
/** JSON-logic is checked by the rule engine; here only its size is bounded by the request. */
const logic = {} as const;

const AGGREGATE_OPS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'];

const aggregate = {
  type: 'object',
  required: ['key', 'op'],
  properties: {
    key,
    label: localized,
    op: { enum: AGGREGATE_OPS },
    field: fieldPath,
    source: key,
    filter: logic,
    since: fieldPath,
    unit: { enum: ['day', 'hour', 'minute'] },
  },
  additionalProperties: false,
  dependencies: { since: ['field'], unit: ['since'] },
} as const;

/** Applies `then` to measures whose `op` is one of `ops` (precise errors, unlike `oneOf`). */
const when = (ops: readonly string[], then: object) =>
  ({ if: { type: 'object', properties: { op: { enum: ops } } }, then }) as const;

const derived = (op: string, required: readonly string[], extra: Record<string, unknown>) =>
  ({
    type: 'object',
    required: ['key', 'op', ...required],
    properties: { key, label: localized, op: { const: op }, ...extra },
    additionalProperties: false,
  }) as const;

/**
 * The JSON schema of a report definition (JSON Schema draft-07, as ajv checks it). References between
 * parts (measure keys, sources, fields of datasets) are checked afterwards against the catalogue.
 */
export const reportDefinitionSchema = {
  type: 'object',
  required: ['version', 'chart', 'sources', 'measures'],
  properties: {
    version: { const: 1 },
    title: localized,
    chart: {
      type: 'object',
      required: ['type', 'version'],
      properties: {
        type: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,40}$' },
        version: { type: 'integer', minimum: 1 },
        options: { type: 'object' },
      },
      additionalProperties: false,
    },
    sources: {
      type: 'array',
      minItems: 1,
      maxItems: 8,
      items: {
        type: 'object',
        required: ['key', 'dataset'],
        properties: {
          key,
          dataset: { type: 'string', minLength: 1, maxLength: 128 },
          filter: logic,
        },
        additionalProperties: false,
      },
    },
    dimensions: {
      type: 'array',
      maxItems: 4,
      items: {
        type: 'object',
        required: ['key', 'field'],
        properties: {
          key,
          label: localized,
          field: fieldBinding,
          bucket: { enum: ['day', 'week', 'month', 'quarter', 'year'] },
          timeZone: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$' },
          boundaries: {
            type: 'array',
            minItems: 1,
            maxItems: 50,
            items: {
              oneOf: [
                { type: 'number' },
                { type: 'string', pattern: '^-?\\d{1,20}(\\.\\d{1,10})?$' },
              ],
            },
          },
          since: fieldBinding,
        },
        additionalProperties: false,
        dependencies: { since: ['bucket'] },
        not: { required: ['bucket', 'boundaries'] },
      },
    },
    measures: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        required: ['key', 'op'],
        properties: {
          op: { enum: [...AGGREGATE_OPS, 'ratio', 'share', 'running_total', 'change'] },
        },
        allOf: [
          when(AGGREGATE_OPS, aggregate),
          when(
            ['ratio'],
            derived('ratio', ['numerator', 'denominator'], { numerator: key, denominator: key }),
          ),
          when(
            ['share'],
            derived('share', ['of'], { of: key, per: { type: 'array', items: key, maxItems: 4 } }),
          ),
          when(['running_total'], derived('running_total', ['of'], { of: key, along: key })),
          when(
            ['change'],
            derived('change', ['of'], {
              of: key,
              along: key,
              mode: { enum: ['difference', 'ratio'] },
            }),
          ),
        ],
      },
    },
    globalFields: {
      type: 'object',
      propertyNames: key,
      additionalProperties: globalFieldBinding,
      maxProperties: 20,
    },
    sort: {
      type: 'array',
      maxItems: 8,
      items: {
        type: 'object',
        required: ['key'],
        properties: { key, direction: { enum: ['asc', 'desc'] } },
        additionalProperties: false,
      },
    },
    limit: { type: 'integer', minimum: 1, maximum: MAX_REPORT_ROWS },
  },
  additionalProperties: false,
} as const;
