import type { SqlFieldType } from '@joinery/rules';
import type { ColumnKind } from './prepared-report.ts';
import type { AggregateOperation } from './report-definition.ts';

/** The kind of a column holding a field's own values. */
export function fieldKind(type: SqlFieldType): ColumnKind {
  switch (type) {
    case 'money':
      return 'decimal';
    case 'number':
      return 'number';
    case 'date':
    case 'datetime':
    case 'boolean':
    case 'text':
      return type;
    case 'text[]':
    case 'uuid':
      return 'text';
  }
}

/** The field types an aggregate accepts (`count` of a field counts its non-null values). */
export const AGGREGATE_FIELD_TYPES: Readonly<Record<AggregateOperation, readonly SqlFieldType[]>> =
  {
    count: ['text', 'number', 'money', 'boolean', 'date', 'datetime', 'text[]'],
    count_distinct: ['text', 'number', 'money', 'boolean', 'date', 'datetime'],
    sum: ['number', 'money'],
    avg: ['number', 'money'],
    min: ['number', 'money', 'date', 'datetime'],
    max: ['number', 'money', 'date', 'datetime'],
  };

/** The kind of an aggregate's result. */
export function aggregateKind(op: AggregateOperation, type: SqlFieldType | undefined): ColumnKind {
  if (op === 'count' || op === 'count_distinct' || type === undefined) return 'number';
  return fieldKind(type);
}
