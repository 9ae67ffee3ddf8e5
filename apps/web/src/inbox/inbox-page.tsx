import type { InboxBox, InboxItem } from '@joinery/shared';
import { App as AntApp, Button, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/api.ts';
import { isApiError } from '../api/api-error.ts';
import { actOnTask, listInbox } from '../api/workflow-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { recordPath } from '../runtime/app-navigation.ts';
import { localized } from '../runtime/field-model.ts';
import { formatDateTime } from '../runtime/format-value.ts';
import { PageState } from '../runtime/page-state.tsx';
import { useLoaded } from '../runtime/published-forms.ts';
import { newIdempotencyKey } from '../workflow/idempotency-key.ts';
import { OutcomeTag } from '../workflow/outcome-tag.tsx';
import { RemindButton } from '../workflow/remind-button.tsx';
import { filterOf, filterParams, InboxFilters } from './inbox-filters.tsx';
import { taskPath } from './inbox-paths.ts';
import { describeInbox, type InboxRow } from './inbox-rows.ts';
import { OnBehalfOf } from './on-behalf-of.tsx';

const BOXES: readonly InboxBox[] = ['todo', 'done', 'cc', 'started'];
const PAGE_SIZE = 50;

/** `/inbox?box=`: the user's workflow tasks — to do, done, copied to them, started by them. */
export default function InboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const box = BOXES.find((candidate) => candidate === params.get('box')) ?? 'todo';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const filter = filterOf(params);
  const [generation, setGeneration] = useState(0);
  const loaded = useLoaded(async () => {
    const offset = (page - 1) * PAGE_SIZE;
    const found = await listInbox(api, box, { limit: PAGE_SIZE, offset }, filter);
    return { counts: found.counts, rows: await describeInbox(found.items) };
  }, [box, page, filter, generation]);
  const counts = loaded.status === 'ready' ? loaded.value.counts : undefined;

  return (
    <section className="jny-inbox" aria-labelledby="jny-inbox-title">
      <header className="jny-page-header">
        <Typography.Title level={2} id="jny-inbox-title" className="jny-page-header__title">
          {t('inbox.title')}
        </Typography.Title>
      </header>
      <div className="jny-panel">
        <Tabs
          activeKey={box}
          onChange={(next) => setParams({ box: next, ...filterParams(filter) })}
          items={BOXES.map((key) => ({
            key,
            label: counts
              ? t('inbox.tabCount', { tab: t(`inbox.${key}`), count: counts[key] })
              : t(`inbox.${key}`),
          }))}
        />
        <InboxFilters
          box={box}
          filter={filter}
          onChange={(next) => setParams({ box, ...filterParams(next) })}
        />
        <PageState state={loaded}>
          {({ rows, counts: all }) => (
            <InboxTable
              box={box}
              rows={rows}
              page={page}
              total={all[box]}
              onPage={(next) => setParams({ box, ...filterParams(filter), page: String(next) })}
              onChanged={() => setGeneration((n) => n + 1)}
            />
          )}
        </PageState>
      </div>
    </section>
  );
}

function InboxTable(props: {
  readonly box: InboxBox;
  readonly rows: readonly InboxRow[];
  /** The page shown (from 1) of `total` items, `PAGE_SIZE` a page; the server pages. */
  readonly page: number;
  readonly total: number;
  readonly onPage: (page: number) => void;
  readonly onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const tasks = props.box === 'todo' || props.box === 'done';
  const subject = (row: InboxRow) => {
    const { item } = row;
    const text = row.recordTitle
      ? localized(row.recordTitle, locale)
      : t('inbox.recordFallback', { id: item.recordId.slice(0, 8) });
    const to =
      props.box === 'todo' ? taskPath(item.id) : recordPath(item.app, item.form, item.recordId);
    return (
      <>
        <Link to={to}>{text}</Link>
        {item.onBehalfOf !== null && ' '}
        <OnBehalfOf task={item} />
      </>
    );
  };
  return (
    <Table<InboxRow>
      rowKey={(row) => row.item.id}
      dataSource={[...props.rows]}
      pagination={
        props.total > PAGE_SIZE && {
          current: props.page,
          pageSize: PAGE_SIZE,
          total: props.total,
          showSizeChanger: false,
          onChange: props.onPage,
        }
      }
      locale={{ emptyText: t('inbox.empty') }}
      columns={[
        { key: 'subject', title: t('inbox.record'), render: (_, row) => subject(row) },
        {
          key: 'form',
          title: t('inbox.form'),
          render: (_, row) => (row.formLabel ? localized(row.formLabel, locale) : row.item.form),
        },
        ...(tasks
          ? [
              {
                key: 'step',
                title: t('inbox.step'),
                render: (_: unknown, row: InboxRow) =>
                  row.stepName ? localized(row.stepName, locale) : (row.item.nodeId ?? '—'),
              },
            ]
          : []),
        {
          key: 'opened',
          title: tasks ? t('inbox.received') : t('inbox.started'),
          render: (_, row) => formatDateTime(row.item.openedAt),
        },
        props.box === 'todo'
          ? {
              key: 'deadline',
              title: t('inbox.deadline'),
              render: (_: unknown, row: InboxRow) => <Deadline item={row.item} />,
            }
          : {
              key: 'status',
              title: t('inbox.status'),
              render: (_: unknown, row: InboxRow) => (
                <OutcomeTag outcome={row.item.outcome} status={row.item.instanceStatus} />
              ),
            },
        ...(props.box === 'todo'
          ? [
              {
                key: 'actions',
                title: t('inbox.actions'),
                render: (_: unknown, row: InboxRow) => (
                  <TaskButtons row={row} onChanged={props.onChanged} />
                ),
              },
            ]
          : []),
        // The submitter may nudge whoever holds a running request (催办).
        ...(props.box === 'started'
          ? [
              {
                key: 'actions',
                title: t('inbox.actions'),
                render: (_: unknown, row: InboxRow) =>
                  row.item.instanceStatus === 'running' && (
                    <RemindButton size="small" instanceId={row.item.instanceId} />
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}

/** The deadline, tagged when the server's clock says it has passed (`overdue`). */
function Deadline({ item }: { readonly item: InboxItem }) {
  const { t } = useTranslation();
  if (item.deadline === null) return <>—</>;
  return (
    <span>
      {formatDateTime(item.deadline)} {item.overdue && <Tag color="red">{t('inbox.overdue')}</Tag>}
    </span>
  );
}

/** Claim an offered task; handle a claimed (or assigned) one on its page. */
function TaskButtons(props: { readonly row: InboxRow; readonly onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const { item } = props.row;
  if (item.offered && item.claimedBy === null) {
    const claim = () => {
      setBusy(true);
      actOnTask(api, item.id, { action: 'claim' }, newIdempotencyKey()).then(
        () => {
          message.success(t('inbox.claimed'));
          props.onChanged();
        },
        (error: unknown) => {
          setBusy(false);
          message.error(isApiError(error) ? error.message : t('errors.title'));
        },
      );
    };
    return (
      <Button size="small" loading={busy} onClick={claim}>
        {t('inbox.claim')}
      </Button>
    );
  }
  return (
    <Link to={taskPath(item.id)}>
      <Button size="small" type="primary" tabIndex={-1}>
        {t('inbox.handle')}
      </Button>
    </Link>
  );
}
