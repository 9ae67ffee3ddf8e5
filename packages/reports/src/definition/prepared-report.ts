import type { LocalizedText } from '@joinery/shared';
import type { RegisteredChartType } from '../chart-types/chart-type.ts';
import type { Dataset, DatasetCatalog, DatasetField } from '../dataset.ts';
import type {
  AggregateOperation,
  DateBucket,
  DurationUnit,
  JsonLogic,
  MeasureDefinition,
  ReportDefinition,
} from './report-definition.ts';

/**
 * How a result column's values travel, from SQL to the chart: `number` a JavaScript number
 * (counts, aggregates of number fields); `decimal` an exact decimal string (money, ratios,
 * shares); `date` `YYYY-MM-DD` (also the start of a date bucket); `datetime` an ISO 8601 UTC
 * string; `range` the index of a number range (shown as its label); `text`; `boolean`.
 */
export type ColumnKind = 'text' | 'number' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'range';

/** A field path resolved against the catalogue: which dataset owns it, through which relation. */
export interface ResolvedField {
  /** The path as written in the definition. */
  readonly path: string;
  /** The dataset holding the field (the source's, or the related one). */
  readonly dataset: string;
  /** The field's name in that dataset. */
  readonly name: string;
  /** The relation of the source's dataset the field is reached through, if any. */
  readonly relation?: string;
  /** For a related field whose relation names its reference field: that field, to be readable too. */
  readonly through?: { readonly dataset: string; readonly field: string };
  readonly field: DatasetField;
}

/** A source with its dataset and its global-field bindings resolved. */
export interface PreparedSource {
  readonly key: string;
  readonly datasetName: string;
  readonly dataset: Dataset;
  readonly filter?: JsonLogic;
  /** Global field name → the field it means in this source (unbound names are absent). */
  readonly globalFields: Readonly<Record<string, ResolvedField>>;
}

/** A dimension resolved in every source (same order as the sources). */
export interface PreparedDimension {
  readonly key: string;
  readonly label?: LocalizedText;
  readonly kind: ColumnKind;
  readonly fields: readonly ResolvedField[];
  readonly since?: readonly ResolvedField[];
  readonly bucket?: DateBucket;
  /** The IANA time zone of date buckets; absent: the run's business day (see `bucketZone`). */
  readonly timeZone?: string;
  /** Range boundaries as decimal strings, strictly ascending. */
  readonly boundaries?: readonly string[];
}

/** An aggregate over one source. */
export interface PreparedAggregate {
  readonly role: 'aggregate';
  readonly key: string;
  readonly label?: LocalizedText;
  readonly kind: ColumnKind;
  readonly op: AggregateOperation;
  readonly sourceIndex: number;
  /** Where it is in the definition (`/measures/3`), for error paths. */
  readonly pointer: string;
  readonly field?: ResolvedField;
  readonly filter?: JsonLogic;
  /** A duration measure: from this field to `field`, in `unit`. */
  readonly since?: ResolvedField;
  readonly unit?: DurationUnit;
}

/** A measure computed from other measures in the final select (ratios and window functions). */
export interface PreparedDerived {
  readonly role: 'derived';
  readonly key: string;
  readonly label?: LocalizedText;
  readonly kind: ColumnKind;
  readonly definition: Exclude<MeasureDefinition, { op: AggregateOperation }>;
}

/** Any prepared measure. */
export type PreparedMeasure = PreparedAggregate | PreparedDerived;

/** One column of the result, in order: the dimensions, then the measures. */
export interface ResultColumn {
  readonly key: string;
  readonly role: 'dimension' | 'measure';
  readonly kind: ColumnKind;
  readonly label?: LocalizedText;
}

/**
 * A report definition checked against the catalogue and its chart type, frozen: the input of
 * `buildReportQuery`, `shapeResult` and `drillDown`. Prepare once per definition version and
 * reuse it for every viewer (the viewer's rights apply when the query is built).
 */
export interface PreparedReport {
  readonly definition: ReportDefinition;
  /** The catalogue it was checked against; its query reads only these datasets. */
  readonly catalog: DatasetCatalog;
  readonly sources: readonly PreparedSource[];
  readonly dimensions: readonly PreparedDimension[];
  readonly measures: readonly PreparedMeasure[];
  readonly columns: readonly ResultColumn[];
  readonly chart: RegisteredChartType;
  readonly chartOptions: Readonly<Record<string, unknown>>;
  /** The most groups returned (the query asks for one more to detect truncation). */
  readonly limit: number;
}
