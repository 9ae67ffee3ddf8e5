import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import type { RecordBody, RecordHistoryEntry } from '@joinery/shared';
import { Alert, Button, Descriptions, Empty, Space, Table, Tabs, Timeline, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/api.ts';
import { getRecord, listRecords, recordHistory } from '../../api/records-api.ts';
import { useLocale } from '../../i18n/use-locale.ts';
import { formRights, loadMyAccess } from '../../session/my-access.ts';
import { useSignedInUser } from '../../session/use-session.ts';
import { RecordWorkflow } from '../../workflow/record-workflow.tsx';
import { formListPath, recordPath } from '../app-navigation.ts';
import { localized, type RuntimeField, runtimeFields } from '../field-model.ts';
import { recordTitle } from '../form/pickers.tsx';
import { formatDateTime, formatValue, type NameOf } from '../format-value.ts';
import { PageState } from '../page-state.tsx';
import { loadPublishedForm, type PublishedForm, useLoaded } from '../published-forms.ts';
import { useDirectory } from '../use-directory.ts';
import { RevealableValue } from './revealable-value.tsx';
import { type ReverseRelation, reverseRelations } from './reverse-relations.ts';

/** `/apps/:app/forms/:form/records/:id`: the 360° view of one record. */
export default function RecordPage() {
  const { app = '', form = '', id = '' } = useParams();
  const user = useSignedInUser();
  const loaded = useLoaded(async () => {
    const [published, record, access] = await Promise.all([
      loadPublishedForm(app, form),
      // Personal data arrives masked; a user who may unmask it reveals one field at a time.
      getRecord(api, app, form, id, { query: { unmask: 'none' } }),
      loadMyAccess(user.id),
    ]);
    return { published, record, unmaskable: formRights(access, app, form).unmask };
  }, [app, form, id, user.id]);
  return (
    <PageState state={loaded}>
      {({ published, record, unmaskable }) => (
        <RecordView published={published} form={form} record={record} unmaskable={unmaskable} />
      )}
    </PageState>
  );
}

function RecordView(props: {
  readonly published: PublishedForm;
  readonly form: string;
  readonly record: RecordBody;
  readonly unmaskable: readonly string[];
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { published, form, record } = props;
  const app = published.app;
  const fields = useMemo(() => runtimeFields(published.definition), [published.definition]);
  const nameOf = useDirectory(fields);
  const formLabel = localized(published.definition.label, locale);
  const title = recordTitle(record, fields, locale);

  return (
    <article className="jny-record" aria-labelledby="jny-record-title">
      <header className="jny-page-header">
        <Link to={formListPath(app, form)} aria-label={t('record.back')}>
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title level={2} id="jny-record-title" className="jny-page-header__title">
          {formLabel} · {title}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('record.version', { version: record.version })}
        </Typography.Text>
        <span className="jny-page-header__spacer" />
        <Link to={`${recordPath(app, form, record.id)}/edit`} tabIndex={-1}>
          <Button type="primary" icon={<EditOutlined />}>
            {t('record.edit')}
          </Button>
        </Link>
      </header>
      {record.deletedAt && <Alert type="warning" showIcon title={t('record.notFound')} />}
      <div className="jny-record__columns">
        <section className="jny-panel jny-record__main" aria-label={t('record.fields')}>
          <RecordFields
            place={{ app, form }}
            fields={fields}
            record={record}
            nameOf={nameOf}
            unmaskable={props.unmaskable}
          />
        </section>
        <aside className="jny-record__side">
          <section className="jny-panel" aria-labelledby="jny-workflow-title">
            <Typography.Title level={3} className="jny-panel__title" id="jny-workflow-title">
              {t('record.workflow')}
            </Typography.Title>
            <RecordWorkflow app={app} form={form} recordId={record.id} />
          </section>
        </aside>
      </div>
      <Tabs
        className="jny-panel jny-record__tabs"
        items={[
          {
            key: 'related',
            label: t('record.related'),
            children: <RelatedRecords app={app} form={form} id={record.id} />,
          },
          {
            key: 'history',
            label: t('record.history'),
            children: (
              <History app={app} form={form} id={record.id} fields={fields} nameOf={nameOf} />
            ),
          },
        ]}
      />
    </article>
  );
}

function RecordFields(props: {
  readonly place: { readonly app: string; readonly form: string };
  readonly fields: readonly RuntimeField[];
  readonly record: RecordBody;
  readonly nameOf: NameOf;
  readonly unmaskable: readonly string[];
}) {
  const [locale] = useLocale();
  const { fields, record, nameOf } = props;
  const text = (field: RuntimeField) => {
    const value = record.values[field.key];
    const shown = formatValue(field, value, locale, nameOf) || '—';
    // A masked value holds `*`; only a user whose roles may unmask the field gets the control.
    return props.unmaskable.includes(field.key) &&
      typeof value === 'string' &&
      value.includes('*') ? (
      <RevealableValue
        {...props.place}
        recordId={record.id}
        field={field.key}
        fieldLabel={localized(field.label, locale)}
        masked={shown}
      />
    ) : (
      <span data-field={field.key}>{shown}</span>
    );
  };
  return (
    <Descriptions
      column={{ xs: 1, md: 2 }}
      size="small"
      items={fields.map((field) => ({
        key: field.key,
        label: localized(field.label, locale),
        span: field.type === 'subform' || field.type === 'textarea' ? 'filled' : 1,
        children:
          field.type === 'subform' ? (
            <SubformRows field={field} rows={record.values[field.key]} />
          ) : field.type === 'attachment' || field.type === 'image' ? (
            <FileLinks value={record.values[field.key]} />
          ) : (
            text(field)
          ),
      }))}
    />
  );
}

function FileLinks({ value }: { readonly value: unknown }) {
  if (!Array.isArray(value) || value.length === 0) return <>—</>;
  return (
    <Space direction="vertical" size={0}>
      {value.map((file: { id: string; name: string }) => (
        <a key={file.id} href={`/api/files/${encodeURIComponent(file.id)}`}>
          {file.name}
        </a>
      ))}
    </Space>
  );
}

function SubformRows({ field, rows }: { readonly field: RuntimeField; readonly rows: unknown }) {
  const [locale] = useLocale();
  const list = Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  return (
    <Table
      size="small"
      pagination={false}
      rowKey={(row) => String(row.id ?? JSON.stringify(row))}
      dataSource={list}
      columns={field.rows.map((column) => ({
        key: column.key,
        title: localized(column.label, locale),
        render: (_: unknown, row: Record<string, unknown>) =>
          formatValue(column, row[column.key], locale),
      }))}
    />
  );
}

function RelatedRecords(props: {
  readonly app: string;
  readonly form: string;
  readonly id: string;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const relations = useLoaded(
    () => reverseRelations(props.app, props.form),
    [props.app, props.form],
  );
  return (
    <PageState state={relations}>
      {(list) =>
        list.length === 0 ? (
          <Empty description={t('record.noRelated')} />
        ) : (
          <Tabs
            size="small"
            items={list.map((relation) => ({
              key: `${relation.form}.${relation.field}`,
              label: `${localized(relation.formLabel, locale)}${
                list.filter((r) => r.form === relation.form).length > 1
                  ? ` (${localized(relation.fieldLabel, locale)})`
                  : ''
              }`,
              children: <RelatedList app={props.app} id={props.id} relation={relation} />,
            }))}
          />
        )
      }
    </PageState>
  );
}

function RelatedList(props: {
  readonly app: string;
  readonly id: string;
  readonly relation: ReverseRelation;
}) {
  const [locale] = useLocale();
  const { relation } = props;
  const fields = useMemo(
    () =>
      runtimeFields(relation.definition).filter(
        (f) => f.type !== 'subform' && f.key !== relation.field,
      ),
    [relation],
  );
  const page = useLoaded(
    () =>
      listRecords(api, props.app, relation.form, {
        filter: JSON.stringify({ '==': [{ var: relation.field }, props.id] }),
        limit: 20,
        count: true,
      }),
    [props.app, relation.form, relation.field, props.id],
  );
  const shown = fields.slice(0, 5);
  return (
    <PageState state={page}>
      {(result) => (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={[...result.items]}
          {...(result.total !== undefined && result.total > result.items.length
            ? { footer: () => `${result.items.length} / ${result.total}` }
            : {})}
          columns={shown.map((field, index) => ({
            key: field.key,
            title: localized(field.label, locale),
            render: (_: unknown, record: RecordBody) => {
              const text = formatValue(field, record.values[field.key], locale) || '—';
              return index === 0 ? (
                <Link to={recordPath(props.app, relation.form, record.id)}>{text}</Link>
              ) : (
                text
              );
            },
          }))}
        />
      )}
    </PageState>
  );
}

function History(props: {
  readonly app: string;
  readonly form: string;
  readonly id: string;
  readonly fields: readonly RuntimeField[];
  readonly nameOf: NameOf;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const history = useLoaded(
    () => recordHistory(api, props.app, props.form, props.id),
    [props.app, props.form, props.id],
  );
  const actionLabel = (action: string) =>
    action === 'create'
      ? t('record.created')
      : action === 'delete'
        ? t('record.deleted')
        : action === 'restore'
          ? t('record.restored')
          : t('record.updated');
  const show = (key: string, value: unknown) => {
    const field = props.fields.find((f) => f.key === key);
    const text = field ? formatValue(field, value, locale, props.nameOf) : JSON.stringify(value);
    return text === '' || text === undefined ? t('record.empty') : text;
  };
  return (
    <PageState state={history}>
      {(entries: RecordHistoryEntry[]) =>
        entries.length === 0 ? (
          <Empty description={t('record.noHistory')} />
        ) : (
          <Timeline
            className="jny-history"
            items={[...entries].reverse().map((entry) => ({
              key: `${entry.version}-${entry.changedAt}`,
              children: (
                <div>
                  <Typography.Text strong>{actionLabel(entry.action)}</Typography.Text>{' '}
                  <Typography.Text type="secondary">
                    {t('record.changedBy', {
                      name: entry.changedByName ?? '—',
                      time: formatDateTime(entry.changedAt),
                    })}
                  </Typography.Text>
                  <ul className="jny-history__changes">
                    {Object.entries(entry.changes).map(([key, change]) => {
                      const field = props.fields.find((f) => f.key === key);
                      return (
                        <li key={key}>
                          {t('record.change', {
                            field: field ? localized(field.label, locale) : key,
                            from: show(key, change.from),
                            to: show(key, change.to),
                          })}
                        </li>
                      );
                    })}
                  </ul>
                </div>
              ),
            }))}
          />
        )
      }
    </PageState>
  );
}
