import type { Locale } from '@joinery/shared';
import type { TFunction } from 'i18next';
import type { RuntimeField } from '../field-model.ts';
import { localized } from '../field-model.ts';
import { formatDateTime, formatValue, type NameOf } from '../format-value.ts';
import type { ListColumn } from './records-table.tsx';

/** Fields a list can show in a cell (a subform's rows belong on the record page). */
export function listableFields(fields: readonly RuntimeField[]): RuntimeField[] {
  return fields.filter((field) => field.type !== 'subform');
}

/** The columns shown before the user chooses: the first six listable fields. */
export function defaultColumnKeys(fields: readonly RuntimeField[]): string[] {
  return listableFields(fields)
    .slice(0, 6)
    .map((field) => field.key);
}

const NUMERIC = new Set(['number', 'money', 'percent', 'rollup']);

/** The table's columns for the chosen keys, then the record's created and updated times. */
export function listColumns(
  fields: readonly RuntimeField[],
  keys: readonly string[],
  locale: Locale,
  t: TFunction,
  nameOf?: NameOf,
): ListColumn[] {
  const columns: ListColumn[] = [];
  for (const key of keys) {
    const field = fields.find((f) => f.key === key);
    if (!field) continue;
    columns.push({
      id: field.key,
      header: localized(field.label, locale),
      sortable: field.sortable,
      width: field.type === 'textarea' ? 240 : field.type === 'datetime' ? 160 : 150,
      ...(NUMERIC.has(field.type) ? { align: 'right' as const } : {}),
      text: (record) => formatValue(field, record.values[field.key], locale, nameOf),
    });
  }
  columns.push(
    {
      id: 'created_at',
      header: t('list.createdAt'),
      sortable: true,
      width: 150,
      text: (record) => formatDateTime(record.createdAt),
    },
    {
      id: 'updated_at',
      header: t('list.updatedAt'),
      sortable: true,
      width: 150,
      text: (record) => formatDateTime(record.updatedAt),
    },
  );
  return columns;
}
