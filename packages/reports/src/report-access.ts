/**
 * What the viewer may see of one dataset, decided by the access-control layer: the row scope as
 * a JSON-logic condition over the dataset's own fields (with `$user…` context; `true` for every
 * row) and the fields they may read (`'all'` or a set of field names).
 */
export interface DatasetAccess {
  readonly scope: unknown;
  readonly readableColumns: ReadonlySet<string> | 'all';
  /**
   * Readable fields the viewer sees only masked: a report may not group, aggregate or filter on
   * them (`JNY_FIELD_MASKED_QUERY`), since each would reveal what the mask hides.
   */
  readonly maskedColumns?: ReadonlySet<string>;
}

/**
 * The viewer's rights by dataset name. Fail-closed: a dataset absent here cannot be a report
 * source (`JNY_REPORT_DATASET_FORBIDDEN`) and no field of it can be read through a relation
 * (`JNY_REPORT_FIELD_UNREADABLE`).
 */
export type ReportAccess = Readonly<Record<string, DatasetAccess>>;

/** Full access to the named datasets — for trusted jobs and tests, never for a viewer. */
export function fullAccess(datasets: readonly string[]): ReportAccess {
  return Object.fromEntries(
    datasets.map((name) => [name, { scope: true, readableColumns: 'all' } satisfies DatasetAccess]),
  );
}
