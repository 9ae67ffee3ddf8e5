import {
  DeleteOutlined,
  DownloadOutlined,
  FilterOutlined,
  PlusOutlined,
  SaveOutlined,
  TableOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import type { RecordBody } from '@joinery/shared';
import type { SortingState } from '@tanstack/react-table';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  Dropdown,
  Input,
  Popconfirm,
  Popover,
  Select,
  Space,
  Typography,
} from 'antd';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/api.ts';
import { isApiError } from '../../api/api-error.ts';
import { bulkWrite, exportUrl } from '../../api/records-api.ts';
import { useLocale } from '../../i18n/use-locale.ts';
import { formRights, loadMyAccess } from '../../session/my-access.ts';
import { useSignedInUser } from '../../session/use-session.ts';
import { formListPath, recordPath } from '../app-navigation.ts';
import { localized, type RuntimeField, runtimeFields, unqueryable } from '../field-model.ts';
import { PageState } from '../page-state.tsx';
import { loadPublishedForm, type PublishedForm, useLoaded } from '../published-forms.ts';
import { useDirectory } from '../use-directory.ts';
import { FilterBuilder } from './filter-builder.tsx';
import { EMPTY_FILTER, type FilterState, filterToLogic } from './filter-logic.ts';
import { combineFilters } from './linked-filter.ts';
import { defaultColumnKeys, listableFields, listColumns } from './list-columns.ts';
import { RecordsTable } from './records-table.tsx';
import { deleteView, type ListView, readViews, saveView } from './saved-views.ts';
import { useRecordPages } from './use-record-pages.ts';

const ImportDialog = lazy(() =>
  import('./import-dialog.tsx').then((module) => ({ default: module.ImportDialog })),
);

/** `/apps/:app/forms/:form`: the record list of a published form. */
export default function RecordListPage() {
  const { app = '', form = '' } = useParams();
  const user = useSignedInUser();
  const loaded = useLoaded(async () => {
    const [published, access] = await Promise.all([
      loadPublishedForm(app, form),
      loadMyAccess(user.id),
    ]);
    return { published, masked: formRights(access, app, form).masked };
  }, [app, form, user.id]);
  return (
    <PageState state={loaded}>
      {({ published, masked }) => (
        <RecordList key={`${app}/${form}`} published={published} form={form} masked={masked} />
      )}
    </PageState>
  );
}

/** Sort state as the list API spells it: `-amount` for descending. */
export function sortParameter(sorting: SortingState): string | undefined {
  const first = sorting[0];
  return first ? `${first.desc ? '-' : ''}${first.id}` : undefined;
}

function RecordList({
  published,
  form,
  masked,
}: {
  readonly published: PublishedForm;
  readonly form: string;
  /** Fields the user sees masked: the server refuses filters and sorts on them. */
  readonly masked: readonly string[];
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { message } = AntApp.useApp();
  const app = published.app;
  const definition = published.definition;
  const fields = useMemo(
    () => unqueryable(runtimeFields(definition), new Set(masked)),
    [definition, masked],
  );
  const [filter, setFilter] = useState<FilterState>(EMPTY_FILTER);
  const [q, setQ] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [columnKeys, setColumnKeys] = useState<readonly string[]>(() => defaultColumnKeys(fields));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [filterOpen, setFilterOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [views, setViews] = useState<ListView[]>(() => readViews(app, form));
  const [viewName, setViewName] = useState<string>();
  const [busy, setBusy] = useState(false);

  // A dashboard's drill-down opens the list with `?filter=`: it applies with the builder's.
  const [params, setParams] = useSearchParams();
  const linked = params.get('filter') ?? undefined;
  const logic = filterToLogic(filter, fields);
  const combined = combineFilters(linked, logic);
  const sort = sortParameter(sorting);
  const query = {
    ...(combined === undefined ? {} : { filter: combined }),
    ...(q.trim() === '' ? {} : { q: q.trim() }),
    ...(sort === undefined ? {} : { sort }),
  };
  const pages = useRecordPages(app, form, query);
  const nameOf = useDirectory(fields, pages.records);
  const columns = useMemo(
    () => listColumns(fields, columnKeys, locale, t, nameOf),
    [fields, columnKeys, locale, t, nameOf],
  );
  const label = localized(definition.label, locale);
  const hrefOf = useCallback((record: RecordBody) => recordPath(app, form, record.id), [app, form]);

  const applyView = (name: string | undefined) => {
    setViewName(name);
    const view = views.find((v) => v.name === name);
    if (!view) return;
    setFilter(view.filter);
    setQ(view.q);
    setSorting(view.sort);
    setColumnKeys(view.columns ?? defaultColumnKeys(fields));
  };
  const saveCurrentView = (name: string) => {
    if (name.trim() === '') return;
    setViews(
      saveView(app, form, { name: name.trim(), filter, q, sort: sorting, columns: columnKeys }),
    );
    setViewName(name.trim());
    void message.success(t('list.viewSaved', { name: name.trim() }));
  };

  const deleteSelected = async () => {
    setBusy(true);
    try {
      await bulkWrite(api, app, form, { delete: [...selected].map((id) => ({ id })) });
      void message.success(t('list.deleted', { count: selected.size }));
      setSelected(new Set());
      pages.reload();
    } catch (error) {
      if (isApiError(error)) void message.error(error.message);
      else throw error;
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="jny-list" aria-labelledby="jny-list-title">
      <header className="jny-page-header">
        <Typography.Title level={2} id="jny-list-title" className="jny-page-header__title">
          {label}
        </Typography.Title>
        <Typography.Text type="secondary" role="status" data-testid="list-total">
          {pages.total === undefined
            ? ''
            : pages.records.length < pages.total
              ? t('list.loaded', { loaded: pages.records.length, total: pages.total })
              : t('list.total', { count: pages.total })}
        </Typography.Text>
        <span className="jny-page-header__spacer" />
        <Link to={`${formListPath(app, form)}/new`}>
          <Button type="primary" icon={<PlusOutlined />} tabIndex={-1}>
            {t('list.newRecord')}
          </Button>
        </Link>
      </header>
      {linked !== undefined && (
        <Alert
          className="jny-list__linked"
          type="info"
          showIcon
          title={t('list.linkedFilter')}
          action={
            <Button size="small" onClick={() => setParams({})}>
              {t('list.clearLinkedFilter')}
            </Button>
          }
        />
      )}
      <div className="jny-toolbar" role="toolbar" aria-label={label}>
        <Input.Search
          className="jny-toolbar__search"
          aria-label={t('list.searchLabel')}
          placeholder={t('list.search')}
          allowClear
          defaultValue={q}
          key={`q-${viewName ?? ''}`}
          onSearch={(value) => setQ(value)}
        />
        <Popover
          trigger="click"
          open={filterOpen}
          onOpenChange={setFilterOpen}
          placement="bottomLeft"
          destroyOnHidden
          content={
            <FilterBuilder
              fields={fields}
              value={filter}
              onApply={(next) => {
                setFilter(next);
                setFilterOpen(false);
              }}
            />
          }
        >
          <Button
            icon={<FilterOutlined />}
            type={logic === undefined ? 'default' : 'primary'}
            ghost={logic !== undefined}
          >
            {filter.conditions.length > 0
              ? t('list.filterCount', { count: filter.conditions.length })
              : t('list.filter')}
          </Button>
        </Popover>
        <ColumnChooser fields={fields} value={columnKeys} onChange={setColumnKeys} />
        <Select
          className="jny-toolbar__views"
          aria-label={t('list.views')}
          placeholder={t('list.viewsPlaceholder')}
          allowClear
          value={viewName}
          onChange={applyView}
          options={views.map((view) => ({ value: view.name, label: view.name }))}
          popupRender={(menu) => (
            <>
              {menu}
              {viewName && (
                <Button
                  type="link"
                  danger
                  size="small"
                  onClick={() => {
                    setViews(deleteView(app, form, viewName));
                    setViewName(undefined);
                  }}
                >
                  {t('list.deleteView')}
                </Button>
              )}
            </>
          )}
        />
        <SaveViewButton onSave={saveCurrentView} />
        <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
          {t('list.import')}
        </Button>
        <Dropdown
          trigger={['click']}
          menu={{
            items: (['csv', 'xlsx'] as const).map((format) => ({
              key: format,
              label: (
                <a href={exportUrl(app, form, query, format)} download>
                  {format === 'csv' ? t('list.exportCsv') : t('list.exportXlsx')}
                </a>
              ),
            })),
          }}
        >
          <Button icon={<DownloadOutlined />}>{t('list.export')}</Button>
        </Dropdown>
        {selected.size > 0 && (
          <Popconfirm
            title={t('list.deleteConfirm', { count: selected.size })}
            onConfirm={deleteSelected}
          >
            <Button danger icon={<DeleteOutlined />} loading={busy}>
              {t('list.deleteSelected', { count: selected.size })}
            </Button>
          </Popconfirm>
        )}
      </div>
      {pages.error && <Alert type="error" showIcon title={pages.error.message} />}
      <RecordsTable
        label={t('list.table', { form: label })}
        columns={columns}
        records={pages.records}
        sorting={sorting}
        onSortingChange={setSorting}
        selected={selected}
        onSelectedChange={setSelected}
        hrefOf={hrefOf}
        loading={pages.loading}
        hasMore={pages.hasMore}
        onLoadMore={pages.loadMore}
      />
      {importOpen && (
        <Suspense fallback={null}>
          <ImportDialog
            app={app}
            form={form}
            fields={fields}
            onClose={(imported) => {
              setImportOpen(false);
              if (imported) pages.reload();
            }}
          />
        </Suspense>
      )}
    </section>
  );
}

function ColumnChooser(props: {
  readonly fields: readonly RuntimeField[];
  readonly value: readonly string[];
  readonly onChange: (keys: readonly string[]) => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const listable = listableFields(props.fields);
  return (
    <Dropdown
      trigger={['click']}
      popupRender={() => (
        <fieldset className="jny-columns" aria-label={t('list.columns')}>
          {listable.map((field) => (
            <Checkbox
              key={field.key}
              checked={props.value.includes(field.key)}
              onChange={(event) =>
                props.onChange(
                  event.target.checked
                    ? listable
                        .map((f) => f.key)
                        .filter((k) => k === field.key || props.value.includes(k))
                    : props.value.filter((k) => k !== field.key),
                )
              }
            >
              {localized(field.label, locale)}
            </Checkbox>
          ))}
        </fieldset>
      )}
    >
      <Button icon={<TableOutlined />}>{t('list.columns')}</Button>
    </Dropdown>
  );
}

function SaveViewButton({ onSave }: { readonly onSave: (name: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  return (
    <Popover
      trigger="click"
      open={open}
      onOpenChange={setOpen}
      content={
        <Space.Compact>
          <Input
            aria-label={t('list.viewName')}
            placeholder={t('list.viewName')}
            value={name}
            onChange={(event) => setName(event.target.value)}
            onPressEnter={() => {
              onSave(name);
              setOpen(false);
            }}
          />
          <Button
            type="primary"
            onClick={() => {
              onSave(name);
              setOpen(false);
            }}
          >
            {t('form.save')}
          </Button>
        </Space.Compact>
      }
    >
      <Button icon={<SaveOutlined />}>{t('list.saveView')}</Button>
    </Popover>
  );
}
