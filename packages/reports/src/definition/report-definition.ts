import type { LocalizedText } from '@joinery/shared';

/** A JSON-logic condition (validated by the rule engine when the query is built). */
export type JsonLogic = unknown;

/**
 * A field of a source's dataset, by path (`amount`, or `customer.channel` through a relation).
 * The object form names the field per source key, for reports over several sources whose
 * datasets call the shared dimension differently (`{"customers": "channel", "apps":
 * "customer.channel"}`).
 */
export type FieldBinding = string | Readonly<Record<string, string>>;

/** Calendar buckets of a date dimension (`date_trunc` in the dimension's time zone). */
export type DateBucket = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** A dataset the report reads, under a key the rest of the definition refers to. */
export interface SourceDefinition {
  readonly key: string;
  /** The dataset name in the catalogue the runtime passes (a published form). */
  readonly dataset: string;
  /** Rows of the dataset this source counts (JSON-logic over its fields). */
  readonly filter?: JsonLogic;
}

/**
 * What the report groups by. `field` alone groups by the value; with `bucket` a date or
 * datetime is truncated to the start of its day/week (ISO, Monday)/month/quarter/year in
 * `timeZone`; with `boundaries` (strictly ascending) a number falls in a range `[b(i-1), b(i))`;
 * with `since` and `bucket` the value is the whole number of buckets from `since` to `field`
 * (months on book, for cohort and vintage matrices). Every dimension is bound in every source.
 */
export interface DimensionDefinition {
  readonly key: string;
  readonly label?: LocalizedText;
  readonly field: FieldBinding;
  readonly bucket?: DateBucket;
  /**
   * IANA time zone for buckets of datetimes; default: the server's business day (its
   * `utcOffsetMinutes`, Beijing time unless configured otherwise).
   */
  readonly timeZone?: string;
  readonly boundaries?: readonly (number | string)[];
  readonly since?: FieldBinding;
}

/** The aggregate functions a measure applies to its source's rows. */
export type AggregateOperation = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';

/** An aggregate over the rows of one source, optionally only those matching `filter`. */
export interface AggregateMeasure {
  readonly key: string;
  readonly label?: LocalizedText;
  readonly op: AggregateOperation;
  /** The field aggregated; absent only for `count` (rows). */
  readonly field?: string;
  /** The source key; default the first source. */
  readonly source?: string;
  /** Only rows matching this JSON-logic count (`count(*) filter (where …)`). */
  readonly filter?: JsonLogic;
  /**
   * Aggregate a duration instead of the field: the time from `since` to `field` (two dates or
   * two datetimes of the source) in `unit` (default `day`) — approval speed, days to disburse.
   * For `sum`, `avg`, `min` and `max`.
   */
  readonly since?: string;
  readonly unit?: DurationUnit;
}

/** The unit of a duration measure. */
export type DurationUnit = 'day' | 'hour' | 'minute';

/** `numerator ÷ denominator` per group, as an exact decimal; null when the denominator is 0. */
export interface RatioMeasure {
  readonly key: string;
  readonly label?: LocalizedText;
  readonly op: 'ratio';
  readonly numerator: string;
  readonly denominator: string;
}

/** A measure's share of its total over all groups (or per value of the `per` dimensions). */
export interface ShareMeasure {
  readonly key: string;
  readonly label?: LocalizedText;
  readonly op: 'share';
  readonly of: string;
  readonly per?: readonly string[];
}

/** The running total of a measure along a dimension (default the first), per other dimensions. */
export interface RunningTotalMeasure {
  readonly key: string;
  readonly label?: LocalizedText;
  readonly op: 'running_total';
  readonly of: string;
  readonly along?: string;
}

/**
 * The change of a measure against the previous period along a dimension (default the first):
 * along a date bucket the previous period is exactly one bucket earlier (null when that period
 * has no group); along any other dimension it is the previous group. `difference` (default) or
 * `ratio` (`(m − previous) ÷ previous`, a decimal).
 */
export interface ChangeMeasure {
  readonly key: string;
  readonly label?: LocalizedText;
  readonly op: 'change';
  readonly of: string;
  readonly along?: string;
  readonly mode?: 'difference' | 'ratio';
}

/** Any measure; derived ones refer to other measures by key (ratios to aggregates only). */
export type MeasureDefinition =
  | AggregateMeasure
  | RatioMeasure
  | ShareMeasure
  | RunningTotalMeasure
  | ChangeMeasure;

/** The chart drawing the result: a registered chart type at a fixed version, and its options. */
export interface ChartDefinition {
  readonly type: string;
  readonly version: number;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** An ordering of the result by a dimension or measure key. */
export interface SortDefinition {
  readonly key: string;
  readonly direction?: 'asc' | 'desc';
}

/**
 * A report widget: one or more sources aggregated into one SQL statement. With several sources
 * each is aggregated by the shared dimensions in its own CTE and the groups are joined on them
 * (a conversion funnel across forms, spend ÷ new customers).
 */
export interface ReportDefinition {
  readonly version: 1;
  readonly title?: LocalizedText;
  readonly chart: ChartDefinition;
  readonly sources: readonly SourceDefinition[];
  readonly dimensions?: readonly DimensionDefinition[];
  readonly measures: readonly MeasureDefinition[];
  /**
   * Names a dashboard's global filters use, bound to a field per source (a source may leave a
   * name unbound: a global filter over it does not apply to that source).
   */
  readonly globalFields?: Readonly<Record<string, FieldBinding>>;
  readonly sort?: readonly SortDefinition[];
  /** At most this many groups (1–10,000, default 10,000); more are reported as truncated. */
  readonly limit?: number;
}
