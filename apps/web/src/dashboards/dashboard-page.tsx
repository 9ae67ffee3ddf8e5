import type { DashboardView, GlobalField } from '@joinery/shared';
import { DatePicker, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../api/api.ts';
import { getDashboard, listReports } from '../api/reports-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { loadBusinessDay } from '../runtime/business-day.ts';
import { PageState } from '../runtime/page-state.tsx';
import { useLoaded } from '../runtime/published-forms.ts';
import { loadMyAccess } from '../session/my-access.ts';
import { useSignedInUser } from '../session/use-session.ts';
import { type DayRange, dateRangeFilters } from './date-range-filter.ts';
import { exportableReports } from './exportable-reports.ts';
import { ReportWidget } from './report-widget.tsx';

/** `/apps/:app/dashboards/:dashboard`: a dashboard's widgets on its grid, with a date range. */
export default function DashboardPage() {
  const { app = '', dashboard = '' } = useParams();
  const user = useSignedInUser();
  const loaded = useLoaded(
    () =>
      Promise.all([
        getDashboard(api, app, dashboard),
        loadBusinessDay(),
        // Which widgets may export: without the list, none offers to (the server decides anyway).
        Promise.all([listReports(api, app), loadMyAccess(user.id)]).then(
          ([reports, access]) => exportableReports(reports, access.apps[app] ?? {}),
          () => new Set<string>(),
        ),
      ]),
    [app, dashboard, user.id],
  );
  return (
    <PageState state={loaded}>
      {([view, utcOffsetMinutes, exportable]) => (
        <Dashboard
          key={`${app}/${dashboard}`}
          app={app}
          view={view}
          utcOffsetMinutes={utcOffsetMinutes}
          exportable={exportable}
        />
      )}
    </PageState>
  );
}

function Dashboard(props: {
  readonly app: string;
  readonly view: DashboardView;
  /** The server's business day, which a date range's days are days of. */
  readonly utcOffsetMinutes: number;
  /** The reports whose data the user may export (`exportableReports`). */
  readonly exportable: ReadonlySet<string>;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { view } = props;
  const title = view.title?.[locale] ?? view.title?.['zh-CN'] ?? view.key;
  // The first date or datetime global field carries the date range to every widget.
  const dateField = view.globalFields.find((f) => f.type === 'date' || f.type === 'datetime');
  const [range, setRange] = useState<DayRange | undefined>();
  const filters = useMemo(
    () => (dateField ? dateRangeFilters(dateField, range, props.utcOffsetMinutes) : []),
    [dateField, range, props.utcOffsetMinutes],
  );
  return (
    <section className="jny-dashboard" aria-labelledby="jny-dashboard-title">
      <header className="jny-page-header">
        <Typography.Title level={2} id="jny-dashboard-title" className="jny-page-header__title">
          {title}
        </Typography.Title>
        <span className="jny-page-header__spacer" />
        {dateField && <DateRange field={dateField} onChange={setRange} />}
      </header>
      <div className="jny-dashboard__grid">
        {view.widgets.map((widget) => (
          <ReportWidget
            key={widget.id}
            app={props.app}
            dashboard={view.key}
            widget={widget}
            globalFilters={filters}
            exportable={props.exportable.has(widget.report)}
          />
        ))}
      </div>
      {view.widgets.length === 0 && (
        <Typography.Text type="secondary">{t('dashboard.empty')}</Typography.Text>
      )}
    </section>
  );
}

function DateRange(props: {
  readonly field: GlobalField;
  readonly onChange: (range: DayRange | undefined) => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const name = props.field.label?.[locale] ?? props.field.label?.['zh-CN'] ?? t('dashboard.dates');
  const change = (days: [Dayjs | null, Dayjs | null] | null) => {
    const [from, to] = days ?? [null, null];
    props.onChange(
      from && to ? { from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') } : undefined,
    );
  };
  return (
    <Space>
      <Typography.Text id="jny-dashboard-range">{name}</Typography.Text>
      <DatePicker.RangePicker
        aria-labelledby="jny-dashboard-range"
        onChange={change}
        allowEmpty={[false, false]}
        placeholder={[t('dashboard.from'), t('dashboard.to')]}
      />
    </Space>
  );
}
