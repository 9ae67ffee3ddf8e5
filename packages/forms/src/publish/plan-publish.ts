// One concept, one (long) file: the planner walks live and next fields once and files every
// step into ordered buckets; its parts share that state. The SQL itself lives in
// ddl-statements.ts, check-queries.ts and type-conversion.ts.
import { sql } from 'kysely';
import type { BoundFieldType } from '../field-types/define-field-type.ts';
import { type FieldTypeRegistry, fieldTypes } from '../field-types/field-type-registry.ts';
import type { FieldDefinition, FormDefinition } from '../schema/app-definition.ts';
import { conversionCheckSql, duplicatesCheckSql } from './check-queries.ts';
import {
  addColumnSql,
  alterColumnTypeSql,
  type ColumnSpec,
  createChildTableSql,
  createFormTableSql,
  createIndexSql,
  createJunctionTableSql,
  createSchemaSql,
  dropColumnSql,
  dropIndexSql,
  dropTableSql,
  encodedRowsSql,
  fieldIndexName,
  type IndexKind,
  renameColumnSql,
  renameTableSql,
} from './ddl-statements.ts';
import { describe, refusal } from './publish-messages.ts';
import type {
  PublishCheck,
  PublishPlan,
  PublishRefusal,
  PublishStep,
  PublishWarning,
} from './publish-plan.ts';
import {
  appSchemaName,
  blindIndexColumn,
  childTableName,
  constraintName,
  formTableName,
} from './table-names.ts';
import { planConversion } from './type-conversion.ts';

/** Options of `planPublish`. */
export interface PlanPublishOptions {
  readonly appKey: string;
  /**
   * Ids of fields to purge: each must be deleted in the live version and left out of the next;
   * its column (or child table) and data are dropped. Without it a field can never vanish.
   */
  readonly purge?: readonly string[];
  readonly registry?: FieldTypeRegistry;
}

/** Where a list of fields is stored: the form table, or a subform's child table. */
interface TableScope {
  readonly formKey: string;
  /** The table's name in the live version (checks run before any step). */
  readonly liveTable: string;
  /** Its name once the steps ran (a renamed subform renames its child table). */
  readonly table: string;
  readonly child: boolean;
  /**
   * Prefix of index names: the table name for the form table, `<form>_<subform field id>` for a
   * child table, so a renamed subform's indexes never clash with a new one of the old name.
   */
  readonly indexPrefix: string;
}

const STEP_ORDER = [
  'create',
  'purge',
  'renameTable',
  'renameTemp',
  'rename',
  'alter',
  'add',
  'encode',
  'index',
] as const;
type Bucket = (typeof STEP_ORDER)[number];

/**
 * Computes the DDL that turns the live table(s) of a form into those of `next` — as data: SQL
 * compiled by kysely with every identifier quoted, never run here. `live` null means a first
 * publish (schema, table with system columns, child and junction tables, indexes).
 *
 * Fields are matched by their stable `id`: a new key is a rename (`rename column`, data kept);
 * a new position is metadata only; a type change is an `alter … type … using` with a check
 * query for the rows that would not convert (or a refusal when no safe cast exists); a
 * deleted field keeps its column until an explicit purge. The server runs checks, then steps,
 * in the metadata's transaction.
 */
export function planPublish(
  live: FormDefinition | null,
  next: FormDefinition,
  options: PlanPublishOptions,
): PublishPlan {
  const planner = new Planner(
    appSchemaName(options.appKey),
    options.registry ?? fieldTypes,
    new Set(options.purge ?? []),
  );
  const table = formTableName(next.key);
  const scope: TableScope = {
    formKey: next.key,
    liveTable: table,
    table,
    child: false,
    indexPrefix: table,
  };
  if (!live) planner.create(scope, next.fields);
  else if (live.key !== next.key)
    planner.refuse(refusal('formKeyChanged', { from: live.key, to: next.key }));
  else if (next.version <= live.version) {
    planner.refuse(refusal('versionNotNext', { expected: live.version + 1, actual: next.version }));
  } else planner.diff(scope, live.fields, next.fields);
  return planner.plan(table);
}

class Planner {
  private readonly buckets = new Map<Bucket, PublishStep[]>(
    STEP_ORDER.map((bucket) => [bucket, []]),
  );
  private readonly checks: PublishCheck[] = [];
  private readonly warnings: PublishWarning[] = [];
  private readonly refusals: PublishRefusal[] = [];

  constructor(
    private readonly schema: string,
    private readonly registry: FieldTypeRegistry,
    private readonly purge: ReadonlySet<string>,
  ) {}

  plan(table: string): PublishPlan {
    return Object.freeze({
      schema: this.schema,
      table,
      checks: Object.freeze(this.checks),
      steps: Object.freeze(STEP_ORDER.flatMap((bucket) => this.buckets.get(bucket) ?? [])),
      warnings: Object.freeze(this.warnings),
      refusals: Object.freeze(this.refusals),
    });
  }

  refuse(refused: PublishRefusal): void {
    this.refusals.push(refused);
  }

  private bind(field: FieldDefinition): BoundFieldType {
    return this.registry.get(field.type, field.typeVersion ?? 1).bind(field);
  }

  private step(bucket: Bucket, entry: PublishStep): void {
    this.buckets.get(bucket)?.push(Object.freeze(entry));
  }

  private qualified(table: string): string {
    return `${this.schema}.${table}`;
  }

  /** A first publish: schema, table with every column, then child tables and indexes. */
  create(scope: TableScope, fields: readonly FieldDefinition[]): void {
    const at = this.qualified(scope.table);
    this.step('create', {
      kind: 'create-schema',
      table: at,
      description: describe('创建应用模式 {schema}', 'Create the app schema {schema}', {
        schema: this.schema,
      }),
      sql: createSchemaSql(this.schema),
    });
    this.step('create', {
      kind: 'create-table',
      table: at,
      description: describe('创建表 {table}', 'Create the table {table}', { table: at }),
      sql: createFormTableSql(this.schema, scope.table, this.columnsOf(scope, fields)),
    });
    this.index(scope, 'owner', ['owner'], 'btree', 'owner');
    this.index(scope, 'created', ['created_at', 'id'], 'btree', 'created_at');
    for (const field of fields) this.afterColumns(scope, field);
  }

  /** Column specs of the column-stored fields among `fields` (and their blind indexes). */
  private columnsOf(scope: TableScope, fields: readonly FieldDefinition[]): ColumnSpec[] {
    return fields.flatMap((field) => {
      const bound = this.bind(field);
      if (bound.storage !== 'column') return [];
      const column = this.columnSpec(scope, field, bound);
      return field.sensitive ? [column, blindIndexSpec(field.key)] : [column];
    });
  }

  private columnSpec(
    _scope: TableScope,
    field: FieldDefinition,
    bound: BoundFieldType,
  ): ColumnSpec {
    const target =
      field.type === 'relation' && typeof field.config?.form === 'string'
        ? field.config.form
        : null;
    return {
      name: field.key,
      columnType: bound.columnType ?? 'text',
      references: target ? this.qualified(formTableName(target)) : null,
    };
  }

  /** What a new field needs besides its column: child/junction tables and indexes. */
  private afterColumns(scope: TableScope, field: FieldDefinition): void {
    const bound = this.bind(field);
    if (bound.storage === 'child-table') {
      const table = childTableName(scope.formKey, field.key);
      const child: TableScope = {
        formKey: scope.formKey,
        liveTable: table,
        table,
        child: true,
        indexPrefix: `${scope.formKey}_${field.id}`,
      };
      this.step('add', {
        kind: 'create-table',
        table: this.qualified(table),
        fieldId: field.id,
        description: describe('创建子表 {table}', 'Create the subform table {table}', {
          table: this.qualified(table),
        }),
        sql: createChildTableSql(
          this.schema,
          table,
          scope.table,
          this.columnsOf(child, field.fields ?? []),
        ),
      });
      this.index(child, 'parent', ['parent_id'], 'btree', 'parent_id');
      for (const row of field.fields ?? []) this.fieldIndexes(child, row, this.bind(row));
    } else if (bound.storage === 'junction-table') {
      const table = childTableName(scope.formKey, field.key);
      const target = formTableName(String(field.config?.form));
      this.step('add', {
        kind: 'create-table',
        table: this.qualified(table),
        fieldId: field.id,
        description: describe('创建关联表 {table}', 'Create the relation table {table}', {
          table: this.qualified(table),
        }),
        sql: createJunctionTableSql(
          this.schema,
          table,
          scope.table,
          target,
          `${scope.formKey}_${field.id}_pk`,
        ),
      });
      const junction: TableScope = {
        formKey: scope.formKey,
        liveTable: table,
        table,
        child: true,
        indexPrefix: `${scope.formKey}_${field.id}`,
      };
      this.index(junction, 'target', ['target_id'], 'btree', 'target_id');
    } else if (bound.storage === 'column') {
      this.fieldIndexes(scope, field, bound);
    }
  }

  /** Unique index for `unique` fields; b-tree for references and selects; GIN for multi-selects. */
  private fieldIndexes(scope: TableScope, field: FieldDefinition, bound: BoundFieldType): void {
    if (bound.storage !== 'column') return;
    if (field.sensitive) {
      this.blindIndexes(scope, field, field.validations?.unique === true);
      return;
    }
    if (field.type === 'serial' || (field.validations?.unique && !scope.child)) {
      this.index(scope, field.id, [field.key], 'unique', field.key, field.id);
    }
    const kind = typeIndexKind(field);
    if (kind) this.index(scope, field.id, [field.key], kind, field.key, field.id);
  }

  /**
   * A sensitive field is found through its blind index only: a b-tree for equality search, and
   * the unique index there when the field is unique (equal values have equal keyed hashes).
   */
  private blindIndexes(scope: TableScope, field: FieldDefinition, unique: boolean): void {
    const column = blindIndexColumn(field.key);
    if (unique) this.index(scope, field.id, [column], 'unique', field.key, field.id);
    this.index(scope, field.id, [column], 'btree', field.key, field.id);
  }

  private index(
    scope: TableScope,
    id: string,
    columns: string[],
    kind: IndexKind,
    label: string,
    fieldId?: string,
  ): void {
    const name = fieldIndexName(scope.indexPrefix, id, kind);
    const entry: PublishStep = {
      kind: 'create-index',
      table: this.qualified(scope.table),
      description: describe('为 {column} 创建索引 {name}', 'Create the index {name} on {column}', {
        name,
        column: label,
      }),
      sql: createIndexSql(this.schema, scope.table, name, columns, kind, !scope.child),
    };
    this.step('index', fieldId === undefined ? entry : { ...entry, fieldId });
  }

  /** Compares the live and next fields of one table, by id. */
  diff(
    scope: TableScope,
    liveFields: readonly FieldDefinition[],
    nextFields: readonly FieldDefinition[],
  ): void {
    const liveById = new Map(liveFields.map((field) => [field.id, field]));
    const nextById = new Map(nextFields.map((field) => [field.id, field]));
    const purged = new Set<string>();
    for (const old of liveFields) {
      if (nextById.has(old.id)) {
        if (this.purge.has(old.id))
          this.refuse(refusal('purgeStillPresent', { field: old.key }, old.id));
        continue;
      }
      if (!this.purge.has(old.id))
        this.refuse(refusal('fieldVanished', { field: old.key }, old.id));
      else if (!old.deleted) this.refuse(refusal('purgeNotDeleted', { field: old.key }, old.id));
      else {
        this.purgeField(scope, old);
        purged.add(old.key);
      }
    }
    const renames: { from: string; to: string; id: string }[] = [];
    for (const field of nextFields) {
      const old = liveById.get(field.id);
      if (!old) {
        this.addField(scope, field);
        continue;
      }
      this.changeField(scope, old, field, renames);
    }
    this.renameColumns(
      scope,
      renames,
      liveFields
        .filter((field) => !purged.has(field.key))
        .flatMap((field) =>
          field.sensitive ? [field.key, blindIndexColumn(field.key)] : [field.key],
        ),
    );
  }

  private purgeField(scope: TableScope, old: FieldDefinition): void {
    const bound = this.bind(old);
    const at = this.qualified(scope.table);
    if (bound.storage === 'column') {
      this.step('purge', {
        kind: 'drop-column',
        table: at,
        fieldId: old.id,
        description: describe('清除字段 {field} 及其数据', 'Purge the field {field} and its data', {
          field: old.key,
        }),
        sql: dropColumnSql(this.schema, scope.table, old.key),
      });
      if (old.sensitive) this.dropBlindIndexColumn('purge', scope, old);
    } else if (bound.storage === 'child-table' || bound.storage === 'junction-table') {
      const table = childTableName(scope.formKey, old.key);
      this.step('purge', {
        kind: 'drop-table',
        table: this.qualified(table),
        fieldId: old.id,
        description: describe('清除表 {table} 及其数据', 'Purge the table {table} and its data', {
          table,
        }),
        sql: dropTableSql(this.schema, table),
      });
    }
  }

  private addField(scope: TableScope, field: FieldDefinition): void {
    const bound = this.bind(field);
    if (bound.storage === 'column') {
      this.step('add', {
        kind: 'add-column',
        table: this.qualified(scope.table),
        fieldId: field.id,
        description: describe('新增字段 {field}（{type}）', 'Add the field {field} ({type})', {
          field: field.key,
          type: bound.columnType,
        }),
        sql: addColumnSql(this.schema, scope.table, this.columnSpec(scope, field, bound)),
      });
      if (field.sensitive) this.addBlindIndexColumn(scope, field);
    }
    this.afterColumns(scope, field);
  }

  private changeField(
    scope: TableScope,
    old: FieldDefinition,
    field: FieldDefinition,
    renames: { from: string; to: string; id: string }[],
  ): void {
    const before = this.bind(old);
    const after = this.bind(field);
    const params = { field: field.key, from: old.type, to: field.type };
    if (before.storage !== after.storage) {
      this.refuse(refusal('storageChanged', params, field.id));
      return;
    }
    if (
      old.type === 'relation' &&
      field.type === 'relation' &&
      old.config?.form !== field.config?.form
    ) {
      this.refuse(refusal('relationTargetChanged', params, field.id));
      return;
    }
    if (old.deleted !== field.deleted) {
      this.warnings.push({
        fieldId: field.id,
        message: field.deleted
          ? describe(
              '字段 {field} 已隐藏，数据保留到显式清除',
              'The field {field} is hidden; its data stays until purged',
              params,
            )
          : describe(
              '字段 {field} 已恢复，数据仍在',
              'The field {field} is restored with its data',
              params,
            ),
      });
    }
    if (before.storage === 'child-table') {
      const liveTable = childTableName(scope.formKey, old.key);
      const table = childTableName(scope.formKey, field.key);
      if (old.key !== field.key) this.renameTable(liveTable, table, field.id);
      const child: TableScope = {
        formKey: scope.formKey,
        liveTable,
        table,
        child: true,
        indexPrefix: `${scope.formKey}_${field.id}`,
      };
      this.diff(child, old.fields ?? [], field.fields ?? []);
      return;
    }
    if (before.storage === 'junction-table') {
      if (old.key !== field.key) {
        this.renameTable(
          childTableName(scope.formKey, old.key),
          childTableName(scope.formKey, field.key),
          field.id,
        );
      }
      return;
    }
    if (before.storage !== 'column') return;
    if (old.key !== field.key) {
      renames.push({ from: old.key, to: field.key, id: field.id });
      if (old.sensitive && field.sensitive) {
        renames.push({
          from: blindIndexColumn(old.key),
          to: blindIndexColumn(field.key),
          id: field.id,
        });
      }
    }
    if ((old.sensitive || field.sensitive) && typeChanged(old, field)) {
      this.refuse(refusal('sensitiveTypeChange', params, field.id));
      return;
    }
    if (typeChanged(old, field)) this.convert(scope, old, field, before, after);
    if (Boolean(old.sensitive) !== Boolean(field.sensitive))
      this.changeSensitivity(scope, old, field);
    else this.changeUnique(scope, old, field, before, after);
  }

  /**
   * A field becomes sensitive (or stops being): its values are rewritten in the publish
   * transaction — encrypted with a blind index beside them, or decrypted and the blind index
   * dropped — and its unique index moves to the column that now answers equality.
   */
  private changeSensitivity(scope: TableScope, old: FieldDefinition, field: FieldDefinition): void {
    const was = old.validations?.unique === true && !scope.child;
    const is = field.validations?.unique === true && !scope.child;
    const uniqueName = fieldIndexName(scope.indexPrefix, field.id, 'unique');
    const liveColumn = field.sensitive ? old.key : blindIndexColumn(old.key);
    if (is && !was) this.duplicatesCheck(scope, old, field, sql.id(liveColumn));
    if (field.sensitive) {
      if (was) {
        this.step('alter', {
          kind: 'drop-index',
          table: this.qualified(scope.table),
          fieldId: field.id,
          description: describe(
            '删除 {field} 的明文唯一索引',
            'Drop the clear-text unique index of {field}',
            {
              field: field.key,
            },
          ),
          sql: dropIndexSql(this.schema, uniqueName),
        });
      }
      this.addBlindIndexColumn(scope, field);
      this.encode(scope, field, 'cipher');
      this.blindIndexes(scope, field, is);
      return;
    }
    this.dropBlindIndexColumn('alter', scope, old);
    this.encode(scope, field, 'plain');
    if (is) this.index(scope, field.id, [field.key], 'unique', field.key, field.id);
  }

  private addBlindIndexColumn(scope: TableScope, field: FieldDefinition): void {
    const column = blindIndexColumn(field.key);
    this.step('add', {
      kind: 'add-column',
      table: this.qualified(scope.table),
      fieldId: field.id,
      description: describe(
        '新增 {field} 的盲索引列 {column}',
        'Add the blind index column {column} of {field}',
        {
          field: field.key,
          column,
        },
      ),
      sql: addColumnSql(this.schema, scope.table, blindIndexSpec(field.key)),
    });
  }

  private dropBlindIndexColumn(bucket: Bucket, scope: TableScope, old: FieldDefinition): void {
    const column = blindIndexColumn(old.key);
    this.step(bucket, {
      kind: 'drop-column',
      table: this.qualified(scope.table),
      fieldId: old.id,
      description: describe(
        '删除 {field} 的盲索引列 {column}',
        'Drop the blind index column {column} of {field}',
        {
          field: old.key,
          column,
        },
      ),
      sql: dropColumnSql(this.schema, scope.table, column),
    });
  }

  private encode(scope: TableScope, field: FieldDefinition, to: 'cipher' | 'plain'): void {
    this.step('encode', {
      kind: 'encode-values',
      table: this.qualified(scope.table),
      fieldId: field.id,
      description:
        to === 'cipher'
          ? describe('加密字段 {field} 的已有数据', 'Encrypt the existing values of {field}', {
              field: field.key,
            })
          : describe('解密字段 {field} 的已有数据', 'Decrypt the existing values of {field}', {
              field: field.key,
            }),
      sql: encodedRowsSql(this.schema, scope.table, field.key),
      encode: {
        schema: this.schema,
        table: scope.table,
        column: field.key,
        indexColumn: blindIndexColumn(field.key),
        to,
      },
    });
  }

  private convert(
    scope: TableScope,
    old: FieldDefinition,
    field: FieldDefinition,
    before: BoundFieldType,
    after: BoundFieldType,
  ): void {
    const from = before.columnType ?? 'text';
    const to = after.columnType ?? 'text';
    // Checks run before any step, on the live column; the alter runs after renames, on the new
    // one — so each gets the conversion built over its own column name.
    const conversion = planConversion(old.key, from, after);
    const renamed = planConversion(field.key, from, after);
    if (!conversion) {
      this.refuse(
        refusal(
          'typeChangeUnsupported',
          { field: field.key, from: old.type, to: field.type },
          field.id,
        ),
      );
      return;
    }
    if (conversion.badRows) {
      const query = conversionCheckSql(this.schema, scope.liveTable, old.key, conversion.badRows);
      this.checks.push({
        kind: 'conversion',
        table: this.qualified(scope.liveTable),
        fieldId: field.id,
        field: field.key,
        from: old.type,
        to: field.type,
        sql: query,
      });
    } else if (!conversion.using && old.type !== field.type) {
      this.warnings.push({
        fieldId: field.id,
        message: describe(
          '字段 {field} 的已有数据不会按新类型重新校验',
          'Existing values of {field} are not re-validated against the new type',
          { field: field.key },
        ),
      });
    }
    // The index a type brings (GIN for multi-selects, b-tree for references and selects) may
    // not fit the new column type: drop it before the cast, create the new type's after.
    const oldIndex = typeIndexKind(old);
    const newIndex = typeIndexKind(field);
    if (oldIndex && (conversion.using || oldIndex !== newIndex)) {
      this.step('alter', {
        kind: 'drop-index',
        table: this.qualified(scope.table),
        fieldId: field.id,
        description: describe('删除 {field} 的类型索引', 'Drop the type index of {field}', {
          field: field.key,
        }),
        sql: dropIndexSql(this.schema, fieldIndexName(scope.indexPrefix, field.id, oldIndex)),
      });
    }
    if (newIndex && (conversion.using || oldIndex !== newIndex)) {
      this.index(scope, field.id, [field.key], newIndex, field.key, field.id);
    }
    if (conversion.using) {
      this.step('alter', {
        kind: 'alter-column-type',
        table: this.qualified(scope.table),
        fieldId: field.id,
        description: describe(
          '字段 {field} 类型 {from} → {to}',
          'Change {field} from {from} to {to}',
          {
            field: field.key,
            from,
            to,
          },
        ),
        sql: alterColumnTypeSql(
          this.schema,
          scope.table,
          field.key,
          to,
          renamed?.using ?? conversion.using,
        ),
      });
    }
  }

  private changeUnique(
    scope: TableScope,
    old: FieldDefinition,
    field: FieldDefinition,
    before: BoundFieldType,
    after: BoundFieldType,
  ): void {
    const was = old.validations?.unique === true;
    const is = field.validations?.unique === true;
    if (scope.child) return;
    // Duplicates are judged on the values as they will be: a cast in the same publish can
    // make two values equal (' 7' and '7' as numbers), even under an existing unique index.
    const cast = typeChanged(old, field)
      ? planConversion(old.key, before.columnType ?? 'text', after)
      : null;
    if (was === is && !(is && cast?.using)) return;
    if (!is) {
      this.step('index', {
        kind: 'drop-index',
        table: this.qualified(scope.table),
        fieldId: field.id,
        description: describe('取消 {field} 的唯一约束', 'Drop the unique index of {field}', {
          field: field.key,
        }),
        sql: dropIndexSql(this.schema, fieldIndexName(scope.indexPrefix, field.id, 'unique')),
      });
      return;
    }
    const column = cast?.using ?? sql.id(field.sensitive ? blindIndexColumn(old.key) : old.key);
    this.duplicatesCheck(scope, old, field, column);
    const indexed = field.sensitive ? blindIndexColumn(field.key) : field.key;
    if (!was) this.index(scope, field.id, [indexed], 'unique', field.key, field.id);
  }

  /** A check that refuses the publish when `column` (live values) holds duplicates. */
  private duplicatesCheck(
    scope: TableScope,
    old: FieldDefinition,
    field: FieldDefinition,
    column: Parameters<typeof duplicatesCheckSql>[2],
  ): void {
    this.checks.push({
      kind: 'duplicates',
      table: this.qualified(scope.liveTable),
      fieldId: field.id,
      field: field.key,
      from: old.type,
      to: field.type,
      sql: duplicatesCheckSql(this.schema, scope.liveTable, column),
    });
  }

  private renameTable(from: string, to: string, fieldId: string): void {
    this.step('renameTable', {
      kind: 'rename-table',
      table: this.qualified(from),
      fieldId,
      description: describe('表 {from} 改名为 {to}', 'Rename the table {from} to {to}', {
        from,
        to,
      }),
      sql: renameTableSql(this.schema, from, to),
    });
  }

  /**
   * Renames columns; when a new name is still taken by another live column (a swap, or a
   * rename onto a name freed in the same publish), every rename goes through a temporary name.
   */
  private renameColumns(
    scope: TableScope,
    renames: readonly { from: string; to: string; id: string }[],
    liveKeys: readonly string[],
  ): void {
    const taken = new Set(liveKeys);
    const clash = renames.some((rename) => taken.has(rename.to));
    renames.forEach((rename, index) => {
      const temporary = constraintName('jny_tmp', String(index), rename.id);
      const at = this.qualified(scope.table);
      const description = describe(
        '字段 {from} 改名为 {to}',
        'Rename the field {from} to {to}',
        rename,
      );
      if (clash) {
        this.step('renameTemp', {
          kind: 'rename-column',
          table: at,
          fieldId: rename.id,
          description,
          sql: renameColumnSql(this.schema, scope.table, rename.from, temporary),
        });
      }
      this.step('rename', {
        kind: 'rename-column',
        table: at,
        fieldId: rename.id,
        description,
        sql: renameColumnSql(this.schema, scope.table, clash ? temporary : rename.from, rename.to),
      });
    });
  }
}

/** The column holding a sensitive field's keyed hash. */
function blindIndexSpec(fieldKey: string): ColumnSpec {
  return { name: blindIndexColumn(fieldKey), columnType: 'text', references: null };
}

/** The non-unique index a field's type brings, if any. */
function typeIndexKind(field: FieldDefinition): IndexKind | null {
  if (field.type === 'multiselect') return 'gin';
  return ['relation', 'user', 'department', 'select'].includes(field.type) ? 'btree' : null;
}

/** A change of type, type version or settings (labels, rules and layout are not settings). */
function typeChanged(old: FieldDefinition, field: FieldDefinition): boolean {
  return (
    old.type !== field.type ||
    (old.typeVersion ?? 1) !== (field.typeVersion ?? 1) ||
    JSON.stringify(old.config ?? {}) !== JSON.stringify(field.config ?? {})
  );
}
