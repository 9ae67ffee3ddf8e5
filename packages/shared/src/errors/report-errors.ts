import { defineErrors } from './define-errors.ts';

/**
 * Errors of reports and dashboards: report definitions, the viewer's rights, drill-down, unknown
 * reports and dashboards, and report statements that run out of time.
 */
export const reportErrors = defineErrors({
  JNY_REPORT_DEFINITION_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '报表定义无效（{count} 处问题）',
      en: 'The report definition is invalid ({count} problems)',
    },
  },
  JNY_REPORT_DATASET_FORBIDDEN: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '无权查看数据集 {dataset}',
      en: 'You may not read the dataset {dataset}',
    },
  },
  JNY_REPORT_FIELD_UNREADABLE: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '无权读取字段 {field}，不能在报表中分组、汇总或筛选',
      en: 'You may not read the field {field}; it cannot be grouped, aggregated or filtered on',
    },
  },
  JNY_REPORT_FILTER_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '报表筛选条件无效（{path}）：{reason}',
      en: 'The report filter is invalid ({path}): {reason}',
    },
  },
  JNY_REPORT_DRILL_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '无法下钻到该数据点：{reason}',
      en: 'Cannot drill down into this data point: {reason}',
    },
  },
  JNY_REPORT_DRILL_MASKED: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN':
        '报表按个人信息字段 {field} 分组，分组值已脱敏，不能按它下钻；请在记录页查看明文（会记入审计）',
      en: 'The report groups by the personal data field {field}, whose values are masked: a point cannot be drilled by it; reveal a value on the record’s page (audited)',
    },
  },
  JNY_REPORT_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '应用 {app} 中没有报表 {report}',
      en: 'The app {app} has no report {report}',
    },
  },
  JNY_DASHBOARD_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '应用 {app} 中没有看板 {dashboard}',
      en: 'The app {app} has no dashboard {dashboard}',
    },
  },
  JNY_DASHBOARD_WIDGET_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '看板 {dashboard} 中没有组件 {widget}',
      en: 'The dashboard {dashboard} has no widget {widget}',
    },
  },
  JNY_DASHBOARD_FORBIDDEN: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '看板 {dashboard} 中没有您有权查看的组件',
      en: 'The dashboard {dashboard} has no widget you may view',
    },
  },
  /*
   * 503, not 4xx: the request is valid (the report is an administrator's, the filters only
   * narrow it) and the same request may well finish on a less loaded database; and a 5xx shows
   * up where operators watch, who are the ones to act (an index, a replica, a longer
   * `JOINERY_REPORT_TIMEOUT_MS`). `Retry-After` asks clients not to retry at once.
   */
  JNY_REPORT_TIMEOUT: {
    status: 503,
    cause: 'transient',
    message: {
      'zh-CN': '报表查询超过 {seconds} 秒未完成，已取消；请缩小日期范围或筛选条件，或稍后重试',
      en: 'The report query did not finish within {seconds} seconds and was cancelled; narrow the date range or filters, or try again later',
    },
  },
});
