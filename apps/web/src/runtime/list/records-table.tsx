import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import type { RecordBody } from '@joinery/shared';
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type HeaderGroup,
  type OnChangeFn,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Checkbox, Empty, Spin } from 'antd';
import type { TFunction } from 'i18next';
import {
  type CSSProperties,
  type MouseEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useRowFocus } from './row-focus.ts';

/** One column of the table: a field, or a system column, with how to show and sort it. */
export interface ListColumn {
  readonly id: string;
  readonly header: string;
  readonly sortable: boolean;
  readonly width: number;
  readonly align?: 'right';
  readonly text: (record: RecordBody) => string;
}

/** What a row shows of its record: the cell texts in column order, and its checkbox's label. */
interface RowTexts {
  readonly cells: readonly string[];
  readonly selectLabel: string;
}

/**
 * The texts of a record's row for a set of columns, formatted (and translated) once per record
 * when it first comes into view, and kept while the columns and language stay the same: a row
 * scrolled back into view formats nothing again. A WeakMap, so records dropped by a new query
 * go with it.
 */
function rowTextCache(
  columns: readonly ListColumn[],
  t: TFunction,
): (record: RecordBody) => RowTexts {
  const cache = new WeakMap<RecordBody, RowTexts>();
  return (record) => {
    let texts = cache.get(record);
    if (!texts) {
      texts = {
        cells: columns.map((column) => column.text(record)),
        selectLabel: t('list.selectRow', { id: record.id.slice(0, 8) }),
      };
      cache.set(record, texts);
    }
    return texts;
  };
}

interface RecordsTableProps {
  readonly label: string;
  readonly columns: readonly ListColumn[];
  readonly records: readonly RecordBody[];
  readonly sorting: SortingState;
  readonly onSortingChange: OnChangeFn<SortingState>;
  readonly selected: ReadonlySet<string>;
  readonly onSelectedChange: (next: ReadonlySet<string>) => void;
  readonly hrefOf: (record: RecordBody) => string;
  readonly loading: boolean;
  readonly hasMore: boolean;
  readonly onLoadMore: () => void;
}

/** Height of one row in pixels: fixed, so the virtualiser knows every offset without measuring. */
export const ROW_HEIGHT = 40;
const SELECT_WIDTH = 44;

/**
 * The record grid (an ARIA grid): @tanstack/react-table for the columns and (server-side)
 * sorting, @tanstack/react-virtual so only the rows in view are in the DOM — ten thousand rows
 * scroll as fast as fifty. Reaching the last rows asks for the next page. The first column links
 * to the record, so the keyboard reaches every record with Tab (and the arrow keys move between
 * rows); headers sort with Enter or Space.
 *
 * Table elements for their roles, laid out as blocks and CSS grids rather than as a table: the
 * body is as tall as all rows, and each row has a fixed size (a layout and paint boundary, see
 * `.jny-grid__row`), so a row whose texts change is laid out alone, never the table around it.
 * The virtualiser renders this component only when the range of rows in view changes; header
 * and body are memoised.
 */
export function RecordsTable(props: RecordsTableProps) {
  const { t } = useTranslation();
  const { records, selected, onSelectedChange, hasMore, loading, onLoadMore, columns } = props;
  const columnDefs = useMemo<ColumnDef<RecordBody>[]>(
    () =>
      columns.map((column) => ({
        id: column.id,
        header: column.header,
        // An accessor makes it a data column (display columns cannot sort); the text is what
        // the cell shows. Sorting itself is the server's (manualSorting).
        accessorFn: (record: RecordBody) => column.text(record),
        enableSorting: column.sortable,
        sortDescFirst: false,
        size: column.width,
      })),
    [columns],
  );
  const table = useReactTable({
    data: records as RecordBody[],
    columns: columnDefs,
    state: { sorting: props.sorting },
    onSortingChange: props.onSortingChange,
    manualSorting: true,
    enableMultiSort: false,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (record) => record.id,
  });
  const textsOf = useMemo(() => rowTextCache(columns, t), [columns, t]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows render synchronously with the scroll (the virtualiser's flushSync), so a row or two
    // beyond the view suffice (and keep the neighbour of every row in view there for the arrow
    // keys); on a fast scroll every row is rewritten each frame, so each row more costs.
    overscan: 2,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= records.length - 20) onLoadMore();
  }, [hasMore, loading, lastIndex, records.length, onLoadMore]);

  const tracks = useMemo(
    () => ({
      // Every row (and the header) lays out its cells on these tracks.
      '--jny-grid-columns': [SELECT_WIDTH, ...columns.map((column) => column.width)]
        .map((width) => `${width}px`)
        .join(' '),
      width: SELECT_WIDTH + columns.reduce((sum, column) => sum + column.width, 0),
    }),
    [columns],
  );
  // Whole-list facts walk every loaded record: once per change of the data, not per frame.
  const selection = useMemo(() => {
    const count = records.reduce((n, record) => (selected.has(record.id) ? n + 1 : n), 0);
    return { all: records.length > 0 && count === records.length, some: count > 0 };
  }, [records, selected]);
  // Stable across renders, so rows that stay in view are not rendered again while scrolling.
  const latest = useRef({ selected, onSelectedChange, records });
  latest.current = { selected, onSelectedChange, records };
  const toggle = useCallback((id: string, on: boolean) => {
    const next = new Set(latest.current.selected);
    if (on) next.add(id);
    else next.delete(id);
    latest.current.onSelectedChange(next);
  }, []);
  const toggleAll = useCallback((on: boolean) => {
    const { records: all, onSelectedChange: change } = latest.current;
    change(on ? new Set(all.map((record) => record.id)) : new Set());
  }, []);

  return (
    <div className="jny-grid" ref={scroller} data-testid="record-grid">
      {/* Table elements laid out as blocks and grids (styles.css), not as a table. */}
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a data grid (ARIA APG): its rows select, and the arrow keys move between them
        role="grid"
        className="jny-grid__table"
        style={tracks as CSSProperties}
        aria-label={props.label}
        aria-rowcount={records.length + 1}
        aria-colcount={columns.length + 1}
        aria-multiselectable
      >
        <GridHead
          headerGroups={table.getHeaderGroups()}
          sorting={props.sorting}
          columns={columns}
          allSelected={selection.all}
          someSelected={!selection.all && selection.some}
          onToggleAll={toggleAll}
          t={t}
        />
        <GridBody
          records={records}
          first={firstIndex}
          last={lastIndex}
          columns={columns}
          textsOf={textsOf}
          hrefOf={props.hrefOf}
          selected={selected}
          onToggle={toggle}
          t={t}
        />
      </table>
      {records.length === 0 && !loading && (
        <Empty className="jny-grid__empty" description={t('list.empty')} />
      )}
      {loading && (
        <div className="jny-grid__loading" role="status">
          <Spin size="small" /> {t('list.loadingMore')}
        </div>
      )}
    </div>
  );
}

interface GridHeadProps {
  readonly headerGroups: readonly HeaderGroup<RecordBody>[];
  /** Not read here, but the header shows it: a new sorting must render the header again. */
  readonly sorting: SortingState;
  readonly columns: readonly ListColumn[];
  readonly allSelected: boolean;
  readonly someSelected: boolean;
  readonly onToggleAll: (on: boolean) => void;
  readonly t: TFunction;
}

/** The sticky header row: memoised, so scrolling never renders it. */
const GridHead = memo(function GridHead(props: GridHeadProps) {
  const { t, columns } = props;
  return (
    <thead className="jny-grid__head">
      {props.headerGroups.map((group) => (
        <tr aria-rowindex={1} key={group.id} className="jny-grid__headrow">
          <th scope="col" className="jny-grid__select">
            <Checkbox
              aria-label={t('list.selectAll')}
              checked={props.allSelected}
              indeterminate={props.someSelected}
              onChange={(event) => props.onToggleAll(event.target.checked)}
            />
          </th>
          {group.headers.map((header) => {
            const sorted = header.column.getIsSorted();
            const label = String(header.column.columnDef.header);
            const column = columns.find((c) => c.id === header.id);
            const next = header.column.getNextSortingOrder();
            const action =
              next === 'asc'
                ? t('list.sortAscending', { field: label })
                : next === 'desc'
                  ? t('list.sortDescending', { field: label })
                  : t('list.sortNone', { field: label });
            return (
              <th
                key={header.id}
                scope="col"
                aria-sort={
                  sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                }
                className={column?.align === 'right' ? 'jny-grid__num' : undefined}
              >
                {header.column.getCanSort() ? (
                  <button
                    type="button"
                    className="jny-grid__sort"
                    title={action}
                    aria-label={action}
                    onClick={header.column.getToggleSortingHandler()}
                  >
                    {flexRender(header.column.columnDef.header, header.getContext())}
                    {sorted === 'asc' && <ArrowUpOutlined aria-hidden />}
                    {sorted === 'desc' && <ArrowDownOutlined aria-hidden />}
                  </button>
                ) : (
                  flexRender(header.column.columnDef.header, header.getContext())
                )}
              </th>
            );
          })}
        </tr>
      ))}
    </thead>
  );
});

interface GridBodyProps {
  readonly records: readonly RecordBody[];
  /** The range of rows to render (the view and its overscan), both ends included. */
  readonly first: number;
  readonly last: number;
  readonly columns: readonly ListColumn[];
  readonly textsOf: (record: RecordBody) => RowTexts;
  readonly hrefOf: (record: RecordBody) => string;
  readonly selected: ReadonlySet<string>;
  readonly onToggle: (id: string, on: boolean) => void;
  readonly t: TFunction;
}

/**
 * The rows in range, in a body as tall as all rows. Memoised on the range: of the scroll events
 * of a frame, only one that moves the range by a row renders it.
 */
const GridBody = memo(function GridBody(props: GridBodyProps) {
  const { records, first, last, columns } = props;
  const openText = props.t('list.open');
  const navigate = useNavigate();
  const focus = useRowFocus(first);
  // Rows hold plain links (a router Link per row costs hooks on every row entering the view);
  // one handler turns a plain click on any of them into an in-app navigation.
  const followLink = (event: MouseEvent<HTMLTableSectionElement>) => {
    const link = (event.target as Element).closest('a');
    if (
      !link ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(link.getAttribute('href') ?? '/');
  };
  // A cell cut short by its width shows its whole text as a tooltip. Set on hover, not on every
  // row render: most texts fit anyway.
  const showFullText = (event: MouseEvent<HTMLTableSectionElement>) => {
    const cell = (event.target as Element).closest('td');
    if (!cell) return;
    cell.title = cell.scrollWidth > cell.clientWidth ? (cell.textContent ?? '') : '';
  };
  const rows: ReactNode[] = [];
  for (let index = first; index <= last; index++) {
    const record = records[index];
    if (!record) continue;
    rows.push(
      <GridRow
        // Keyed by its position in the range, not by the record: when the range moves, the rows
        // in the DOM show the records now in view (new texts and offsets) instead of new rows
        // being inserted — new elements cost style recalculation, many times a rewritten text.
        key={index - first}
        index={index}
        record={record}
        texts={props.textsOf(record)}
        columns={columns}
        href={props.hrefOf(record)}
        selected={props.selected.has(record.id)}
        onToggle={props.onToggle}
        openText={openText}
      />,
    );
  }
  return (
    <tbody
      className="jny-grid__body"
      style={{ height: records.length * ROW_HEIGHT }}
      ref={focus.ref}
      onClick={followLink}
      onFocus={focus.onFocus}
      onKeyDown={focus.onKeyDown}
      onMouseOver={showFullText}
    >
      {/* Puts the first row in range at its offset: one element's height changes as the range
          moves, where a transform per row would restyle every cell of every row. */}
      <tr aria-hidden className="jny-grid__spacer" style={{ height: first * ROW_HEIGHT }} />
      {rows}
    </tbody>
  );
});

interface GridRowProps {
  readonly index: number;
  readonly record: RecordBody;
  /** See `rowTextCache`. */
  readonly texts: RowTexts;
  readonly columns: readonly ListColumn[];
  readonly href: string;
  readonly selected: boolean;
  readonly onToggle: (id: string, on: boolean) => void;
  /** The link's text when the first column is empty. */
  readonly openText: string;
}

/**
 * One row, memoised. Plain elements (text, a native checkbox, a link) and texts formatted once
 * per record keep it cheap: when the range moves, every row shows another record, on a fast
 * scroll each frame.
 */
const GridRow = memo(function GridRow(props: GridRowProps) {
  const { index, record, columns, texts } = props;
  return (
    <tr
      aria-rowindex={index + 2}
      aria-selected={props.selected}
      className={props.selected ? 'jny-grid__row is-selected' : 'jny-grid__row'}
    >
      <td className="jny-grid__select">
        <input
          type="checkbox"
          className="jny-grid__check"
          aria-label={texts.selectLabel}
          checked={props.selected}
          onChange={(event) => props.onToggle(record.id, event.target.checked)}
        />
      </td>
      {columns.map((column, position) => {
        const text = texts.cells[position] ?? '';
        return (
          <td key={column.id} className={column.align === 'right' ? 'jny-grid__num' : undefined}>
            {position === 0 ? <a href={props.href}>{text || props.openText}</a> : text}
          </td>
        );
      })}
    </tr>
  );
});
