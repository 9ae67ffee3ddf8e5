import type { LocalizedText } from '@joinery/shared';
import type { SqlStatement } from './ddl-compiler.ts';

/** What a publish step does; the server needs only `sql`, the designer shows `description`. */
export type PublishStepKind =
  | 'create-schema'
  | 'create-table'
  | 'add-column'
  | 'rename-column'
  | 'alter-column-type'
  | 'drop-column'
  | 'rename-table'
  | 'drop-table'
  | 'create-index'
  | 'drop-index'
  | 'encode-values';

/**
 * What an `encode-values` step asks of the server, which alone holds the encryption keys: rewrite
 * every value of `column` encrypted (`to: 'cipher'`, filling `indexColumn` with the keyed hash)
 * or in clear (`to: 'plain'`), inside the publish transaction.
 */
export interface EncodeValues {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly indexColumn: string;
  readonly to: 'cipher' | 'plain';
}

/** One DDL statement of a publish, in execution order. */
export interface PublishStep {
  readonly kind: PublishStepKind;
  /** The schema-qualified table it changes, for display. */
  readonly table: string;
  /** The stable id of the field it concerns, if any. */
  readonly fieldId?: string;
  readonly description: LocalizedText;
  /** The DDL; for `encode-values`, the harmless select of the rows the server rewrites. */
  readonly sql: SqlStatement;
  /** Set on `encode-values` steps only. */
  readonly encode?: EncodeValues;
}

/**
 * A query to run *before* the steps, in the same transaction: each returned row (`id`,
 * `value`, at most 100) is a record that would not survive the change. Any row means the
 * publish must be refused (`JNY_FORM_TYPE_CHANGE_ROWS_UNCONVERTIBLE`), listing the rows.
 * Run them in order and stop at the first that returns rows: a duplicates check over a cast
 * assumes the conversion check before it found nothing.
 */
export interface PublishCheck {
  readonly kind: 'conversion' | 'duplicates';
  readonly table: string;
  readonly fieldId: string;
  /** The field key in the new version. */
  readonly field: string;
  readonly from: string;
  readonly to: string;
  readonly sql: SqlStatement;
}

/** Something the analyst should know that does not stop the publish. */
export interface PublishWarning {
  readonly fieldId?: string;
  readonly message: LocalizedText;
}

/** A change the publish cannot make; a plan with refusals must not be run. */
export interface PublishRefusal {
  readonly fieldId?: string;
  readonly reason:
    | 'formKeyChanged'
    | 'versionNotNext'
    | 'fieldVanished'
    | 'purgeNotDeleted'
    | 'purgeStillPresent'
    | 'storageChanged'
    | 'relationTargetChanged'
    | 'typeChangeUnsupported'
    | 'sensitiveTypeChange';
  readonly message: LocalizedText;
}

/**
 * The DDL difference between the live version and the next, as data. The server runs, in one
 * transaction with the metadata change: every check (refusing if any returns a row), then
 * every step in order. An empty `steps` list means the change is metadata only (labels, order,
 * layout, rules, a deleted flag).
 */
export interface PublishPlan {
  readonly schema: string;
  readonly table: string;
  readonly checks: readonly PublishCheck[];
  readonly steps: readonly PublishStep[];
  readonly warnings: readonly PublishWarning[];
  readonly refusals: readonly PublishRefusal[];
}
