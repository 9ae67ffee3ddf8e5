import { chartDataSchema } from '@joinery/reports';
import { Type } from 'typebox';

const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
const Localized = Type.Record(Type.String(), Type.String({ maxLength: 500 }));

/** `:app` of report and dashboard routes. */
export const AppParams = Type.Object({ app: Type.String({ maxLength: 100 }) });
/** `:app/:report`. */
export const ReportParams = Type.Object({ app: Type.String({ maxLength: 100 }), report: Key });
/** `:app/:dashboard`. */
export const DashboardParams = Type.Object({
  app: Type.String({ maxLength: 100 }),
  dashboard: Key,
});

/** `:app/:dashboard/widgets/:widget`. */
export const WidgetParams = Type.Object({
  app: Type.String({ maxLength: 100 }),
  dashboard: Key,
  widget: Key,
});

/** A report definition as an admin saves it; the engine checks its shape (JSON pointers). */
export const ReportInput = Type.Object(
  { definition: Type.Record(Type.String(), Type.Unknown()) },
  { additionalProperties: false },
);

/** A stored report. */
export const ReportSchema = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  definition: Type.Unknown(),
  updatedAt: Type.String(),
});

/** A dashboard's global filters (JSON-logic over the reports' `globalFields` names). */
const GlobalFilters = Type.Array(Type.Unknown(), { maxItems: 20 });

/** What a widget run takes. */
export const RunInput = Type.Object(
  { globalFilters: Type.Optional(GlobalFilters) },
  { additionalProperties: false },
);

const Cell = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

/** A clicked data point, with the dashboard's global filters. */
export const DrillInput = Type.Object(
  {
    point: Type.Object(
      {
        dimensions: Type.Record(Type.String(), Cell),
        measure: Type.Optional(Type.String({ maxLength: 63 })),
      },
      { additionalProperties: false },
    ),
    globalFilters: Type.Optional(GlobalFilters),
  },
  { additionalProperties: false },
);

/** Where a click leads: the form's record list with a JSON-logic filter. */
export const DrillSchema = Type.Object({
  source: Type.String(),
  dataset: Type.String(),
  filter: Type.Unknown(),
  /** The record list of the browser app, filter included. */
  url: Type.String(),
});

/**
 * A widget's result: `chartDataSchema` plus the report version, unbound global filters and the
 * display names of the users it groups by (`{ dimension: { userId: name } }`).
 */
export const RunSchema = Type.Unsafe<unknown>({
  ...chartDataSchema,
  required: [...chartDataSchema.required, 'version', 'ignoredGlobalFilters', 'labels'],
  properties: {
    ...chartDataSchema.properties,
    version: { type: 'integer' },
    ignoredGlobalFilters: { type: 'array', items: { type: 'integer' } },
    labels: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
});

/**
 * A dashboard definition: global filter fields and a grid of report widgets, each with an id
 * unique in the dashboard that the API addresses it by (`…/widgets/:widget/run`).
 */
export const DashboardInput = Type.Object(
  {
    title: Type.Optional(Localized),
    globalFields: Type.Array(
      Type.Object(
        {
          key: Key,
          type: Type.Union([
            Type.Literal('date'),
            Type.Literal('datetime'),
            Type.Literal('text'),
            Type.Literal('number'),
          ]),
          label: Type.Optional(Localized),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    widgets: Type.Array(
      Type.Object(
        {
          id: Key,
          report: Key,
          x: Type.Integer({ minimum: 0, maximum: 23 }),
          y: Type.Integer({ minimum: 0, maximum: 1000 }),
          w: Type.Integer({ minimum: 1, maximum: 24 }),
          h: Type.Integer({ minimum: 1, maximum: 100 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

/** A stored dashboard. */
export const DashboardSchema = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  definition: DashboardInput,
  updatedAt: Type.String(),
});

/** A dashboard as a user opens it: its definition, and each widget's report title and chart. */
export const DashboardViewSchema = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  title: Type.Optional(Localized),
  globalFields: DashboardInput.properties.globalFields,
  widgets: Type.Array(
    Type.Object({
      id: Type.String(),
      report: Type.String(),
      reportVersion: Type.Integer(),
      title: Type.Optional(Localized),
      chart: Type.Object({ type: Type.String(), version: Type.Integer() }),
      x: Type.Integer(),
      y: Type.Integer(),
      w: Type.Integer(),
      h: Type.Integer(),
      /** Where the browser runs it (lazily, one widget at a time): the widget's `run` route. */
      run: Type.String(),
    }),
  ),
});
