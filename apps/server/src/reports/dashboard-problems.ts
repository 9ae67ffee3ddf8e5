import type { LocalizedText } from '@joinery/shared';
import type { Static } from 'typebox';
import type { DashboardInput } from './report-schemas.ts';

/** A dashboard definition (already of `DashboardInput`'s shape). */
type Dashboard = Static<typeof DashboardInput>;

/** One problem of a dashboard definition: a JSON pointer into it and why, in zh-CN and en. */
export interface DashboardProblem {
  readonly field: string;
  readonly reason: LocalizedText;
}

/** The global field names a report definition declares (`globalFields`, bound or `{}`). */
export function declaredGlobalFields(definition: unknown): string[] {
  return Object.keys((definition as { globalFields?: object } | null)?.globalFields ?? {});
}

/**
 * What keeps a dashboard from being saved or imported, against its app's reports (report key →
 * the global field names it declares): a widget id or global field key used twice (the API
 * addresses widgets by id), a widget naming no report, or a widget whose report does not
 * declare one of the dashboard's global fields — the browser sends the same filters to every
 * widget, and a report refuses a name it does not declare. The one check of the dashboard save
 * route and of app-package import.
 */
export function dashboardProblems(
  dashboard: Dashboard,
  reports: ReadonlyMap<string, readonly string[]>,
): DashboardProblem[] {
  const problems: DashboardProblem[] = [
    ...twice(dashboard.globalFields.map((global) => global.key)).map((index) => {
      const key = dashboard.globalFields[index]?.key;
      return {
        field: `/globalFields/${index}/key`,
        reason: {
          'zh-CN': `全局筛选字段 ${key} 重复`,
          en: `The global field ${key} appears twice`,
        },
      };
    }),
    ...twice(dashboard.widgets.map((widget) => widget.id)).map((index) => {
      const id = dashboard.widgets[index]?.id;
      return {
        field: `/widgets/${index}/id`,
        reason: { 'zh-CN': `组件编号 ${id} 重复`, en: `The widget id ${id} appears twice` },
      };
    }),
  ];
  for (const [index, widget] of dashboard.widgets.entries()) {
    const names = reports.get(widget.report);
    const field = `/widgets/${index}/report`;
    if (!names) {
      problems.push({
        field,
        reason: { 'zh-CN': `报表 ${widget.report} 不存在`, en: `No report ${widget.report}` },
      });
      continue;
    }
    for (const global of dashboard.globalFields) {
      if (names.includes(global.key)) continue;
      problems.push({
        field,
        reason: {
          'zh-CN': `报表 ${widget.report} 未声明看板的全局筛选字段 ${global.key}`,
          en: `The report ${widget.report} does not declare the dashboard's global field ${global.key}`,
        },
      });
    }
  }
  return problems;
}

/** The indexes of the values already seen earlier in `values`. */
function twice(values: readonly string[]): number[] {
  return values.flatMap((value, index) => (values.indexOf(value) < index ? [index] : []));
}
