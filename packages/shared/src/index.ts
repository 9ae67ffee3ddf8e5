export type { FormRights, MyAccess } from './api/access.ts';
export type {
  AppFormSummary,
  AppSummary,
  DepartmentSummary,
  PublishedFormBody,
  RecordBody,
  RecordHistoryEntry,
  RecordListQuery,
  RecordPage,
  UserSummary,
} from './api/records.ts';
export type {
  DashboardSummary,
  DashboardView,
  DrillResult,
  GlobalField,
  ReportCell,
  ReportResult,
  ReportSummary,
  WidgetPlacement,
} from './api/reports.ts';
export type {
  InboxBox,
  InboxItem,
  InboxPage,
  InstanceActionName,
  InstanceActionRequest,
  InstanceView,
  OpenTask,
  RecordInstance,
  TaskActionName,
  TaskActionRequest,
  TaskView,
  TimelineEntry,
  WorkflowStepName,
} from './api/workflow.ts';
export type { ErrorCause, ErrorDefinition } from './errors/define-errors.ts';
export { defineErrors } from './errors/define-errors.ts';
export type { ErrorCode } from './errors/error-catalogue.ts';
export { errorCatalogue } from './errors/error-catalogue.ts';
export { renderErrorsDoc } from './errors/errors-doc.ts';
export type { ErrorBody, FieldProblem, FieldProblemInput } from './errors/joinery-error.ts';
export { isJoineryError, JoineryError } from './errors/joinery-error.ts';
export type { Locale, LocalizedText } from './locale.ts';
export { DEFAULT_LOCALE, formatText, LOCALES, pickLocale } from './locale.ts';
