import { Type } from 'typebox';

/** A JSON object whose shape the rules engine's validator checks (with JSON pointers). */
const JsonObject = Type.Record(Type.String(), Type.Unknown());

/** A rule as an admin sends it; the server assigns the id and the version. */
export const RuleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 500 }),
    enabled: Type.Optional(Type.Boolean()),
    trigger: JsonObject,
    condition: Type.Optional(Type.Unknown()),
    actions: Type.Array(JsonObject, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

/** A stored rule as admins see it (never the inbound webhook's secret). */
export const RuleSchema = Type.Object({
  id: Type.String(),
  app: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  revision: Type.Integer(),
  trigger: JsonObject,
  condition: Type.Optional(Type.Unknown()),
  actions: Type.Array(JsonObject),
  /** For webhook triggers: where the other system posts. */
  hookUrl: Type.Union([Type.String(), Type.Null()]),
  /** For schedules: when the next run is queued. */
  nextRunAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** A rule just created (or whose secret was just rotated): the secret, shown this once. */
export const RuleWithSecret = Type.Intersect([
  RuleSchema,
  Type.Object({ hookSecret: Type.Union([Type.String(), Type.Null()]) }),
]);

/** `:app` of the app routes. */
export const AppParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 100 }) });
/** `:app` and the rule's `:id`. */
export const RuleParams = Type.Object({
  app: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ format: 'uuid' }),
});

const ActionOutcomeSchema = Type.Object({
  index: Type.Integer(),
  type: Type.String(),
  status: Type.String(),
  detail: Type.Optional(JsonObject),
});

/** One entry of the run log. */
export const RunSchema = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.String(),
  trigger: JsonObject,
  chain: Type.Array(Type.String()),
  matched: Type.Boolean(),
  status: Type.String(),
  actions: Type.Array(ActionOutcomeSchema),
  error: Type.Union([
    Type.Object({ code: Type.Union([Type.String(), Type.Null()]), message: Type.String() }),
    Type.Null(),
  ]),
  startedAt: Type.String(),
  durationMs: Type.Integer(),
});

/** Filters of the run log (all optional; newest first, at most `limit`). */
export const RunQuery = Type.Object(
  {
    rule: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(
      Type.Union([
        Type.Literal('succeeded'),
        Type.Literal('failed'),
        Type.Literal('skipped'),
        Type.Literal('stopped'),
      ]),
    ),
    matched: Type.Optional(Type.Boolean()),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
