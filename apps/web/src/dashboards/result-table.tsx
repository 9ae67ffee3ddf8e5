import type { ReportCell, ReportResult } from '@joinery/shared';
import { Table } from 'antd';
import { groupDecimal } from '../runtime/format-value.ts';

/** A cell as text: numbers grouped by thousands, decimals kept as the server sent them. */
function cellText(value: ReportCell): string {
  if (value === null) return '—';
  if (typeof value === 'number') return groupDecimal(String(value));
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return groupDecimal(value);
  return String(value);
}

/** KPI widgets: each measure of the one result row as a headline number. */
export function KpiNumbers({ result }: { readonly result: ReportResult }) {
  const row = result.table.rows[0] ?? [];
  return (
    <dl className="jny-kpi">
      {result.table.columns.map((column, index) => (
        <div key={column.key} className="jny-kpi__item">
          <dt>{column.displayName}</dt>
          <dd data-measure={column.key}>{cellText(row[index] ?? null)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Table, pivot and cohort widgets (and any result without series): the result table. */
export function ResultTable({ result }: { readonly result: ReportResult }) {
  return (
    <Table
      size="small"
      pagination={false}
      scroll={{ y: 240 }}
      rowKey={(_, index) => String(index)}
      dataSource={result.table.rows.map((row) => ({ row }))}
      columns={result.table.columns.map((column, index) => ({
        key: column.key,
        title: column.displayName,
        align: column.role === 'measure' ? ('right' as const) : ('left' as const),
        render: (_: unknown, record: { row: readonly ReportCell[] }) => {
          const cell = record.row[index] ?? null;
          const name = typeof cell === 'string' ? result.labels[column.key]?.[cell] : undefined;
          return name ?? cellText(cell);
        },
      }))}
    />
  );
}
