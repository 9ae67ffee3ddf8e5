import type { SqlFieldType } from '@joinery/rules';

/**
 * One field of a dataset: the column that stores it and its type (the rule engine's SQL types,
 * so filters translate with `logicToSql`). `money` is a Postgres `numeric` and stays an exact
 * decimal string from query to chart.
 */
export interface DatasetField {
  readonly column: string;
  readonly type: SqlFieldType;
}

/**
 * A many-to-one relation to another dataset of the catalogue (a reference field): the fields of
 * `dataset` become reachable as `<relation>.<field>`. One hop only, like `logicToSql`.
 */
export interface DatasetRelation {
  /** The name of the related dataset in the catalogue. */
  readonly dataset: string;
  /** Column of this dataset's table holding the reference. */
  readonly foreignKey: string;
  /** Column of the related table it points to: its key (unique), usually `id`. */
  readonly targetKey: string;
  /**
   * The reference field of this dataset that holds the relation (`customer`), when it is a
   * field: reading through the relation then also needs it readable, since a related value
   * reveals which record is referenced.
   */
  readonly field?: string;
}

/**
 * What a report may read: one table, its typed fields, its relations. The runtime maps each
 * published form to one of these, so the engine stays decoupled from the form engine. Every
 * identifier that reaches SQL comes from here, never from a report definition.
 */
export interface Dataset {
  /** The table (in the search path of the connection that runs the query). */
  readonly table: string;
  readonly fields: Readonly<Record<string, DatasetField>>;
  readonly relations?: Readonly<Record<string, DatasetRelation>>;
  /**
   * Fields stored encrypted: not in `fields` (their column holds ciphertext), named here so a
   * report that uses one is refused with `JNY_FIELD_ENCRYPTED_QUERY` rather than "no field".
   */
  readonly encrypted?: readonly string[];
  /**
   * Fields of `fields` holding personal data, which a viewer without the right to unmask them
   * sees masked: the access layer lists those in `DatasetAccess.maskedColumns`.
   */
  readonly personal?: readonly string[];
}

/** Every dataset a report may name, by name (the runtime passes the app's forms). */
export type DatasetCatalog = Readonly<Record<string, Dataset>>;
