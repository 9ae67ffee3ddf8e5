import type { DashboardView, ReportResult } from '@joinery/shared';
import { App as AntApp, Flex, Typography } from 'antd';
import { type CSSProperties, lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/api.ts';
import { isApiError } from '../api/api-error.ts';
import { drillWidget, runWidget } from '../api/reports-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { PageState } from '../runtime/page-state.tsx';
import { useLoaded } from '../runtime/published-forms.ts';
import { chartOption } from './chart-option.ts';
import { drillPoint } from './drill-point.ts';
import { KpiNumbers, ResultTable } from './result-table.tsx';
import { WidgetExportButton } from './widget-export-button.tsx';

// ECharts is downloaded only when a chart is drawn, never with the login page or the shell.
const EChartView = lazy(() => import('./echart-view.tsx'));

type Widget = DashboardView['widgets'][number];

/**
 * One widget of a dashboard: its report run under the user's rights with the global filters,
 * drawn as headline numbers, a table, or an ECharts chart; a click on a chart's data point
 * opens the record list of exactly the records behind it. Its data downloads as XLSX
 * for a user who may export it.
 */
export function ReportWidget(props: {
  readonly app: string;
  readonly dashboard: string;
  readonly widget: Widget;
  readonly globalFilters: readonly unknown[];
  /** True when the user may export the widget's data (an XLSX button then shows). */
  readonly exportable: boolean;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { widget, app, dashboard, globalFilters } = props;
  const title = widget.title?.[locale] ?? widget.title?.['zh-CN'] ?? widget.report;
  const result = useLoaded(
    () => runWidget(api, app, dashboard, widget.id, globalFilters),
    [app, dashboard, widget.id, globalFilters, locale],
  );
  return (
    <section
      className="jny-panel jny-widget"
      aria-label={title}
      style={
        {
          '--jny-widget-column': `${widget.x + 1} / span ${widget.w}`,
          '--jny-widget-row': `${widget.y + 1} / span ${widget.h}`,
        } as CSSProperties
      }
    >
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Title level={3} className="jny-panel__title">
          {title}
        </Typography.Title>
        {props.exportable && (
          <WidgetExportButton
            app={app}
            dashboard={dashboard}
            widget={widget.id}
            title={title}
            globalFilters={globalFilters}
          />
        )}
      </Flex>
      <PageState state={result}>
        {(data) => (
          <WidgetBody
            app={app}
            dashboard={dashboard}
            widget={widget}
            title={title}
            data={data}
            filters={globalFilters}
          />
        )}
      </PageState>
      {result.status === 'ready' && result.value.truncated && (
        <Typography.Text type="secondary">{t('dashboard.truncated')}</Typography.Text>
      )}
    </section>
  );
}

function WidgetBody(props: {
  readonly app: string;
  readonly dashboard: string;
  readonly widget: Widget;
  readonly title: string;
  readonly data: ReportResult;
  readonly filters: readonly unknown[];
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { data } = props;
  const option = useMemo(() => chartOption(data), [data]);
  if (data.chart.type === 'kpi') return <KpiNumbers result={data} />;
  if (data.series.length === 0) return <ResultTable result={data} />;
  const drill = (seriesIndex: number, dataIndex: number) => {
    const point = drillPoint(data, seriesIndex, dataIndex);
    if (!point) return;
    drillWidget(api, props.app, props.dashboard, props.widget.id, point, props.filters).then(
      (target) => navigate(target.url),
      (error: unknown) => message.error(isApiError(error) ? error.message : t('errors.title')),
    );
  };
  return (
    <Suspense fallback={<div className="jny-chart" />}>
      <EChartView option={option} label={props.title} onPoint={drill} />
    </Suspense>
  );
}
