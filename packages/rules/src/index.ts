export type {
  AutomationAction,
  AutomationEvent,
  AutomationEventContext,
  AutomationRule,
  AutomationTrigger,
  DateRelativeTrigger,
  RecordData,
  SetRowsAction,
  TaskDeadline,
  ValueMap,
} from './automation/automation-rule.ts';
export { ACTION_TYPES, TRIGGER_KINDS } from './automation/automation-rule.ts';
export { cronProblem } from './automation/cron-expression.ts';
export {
  addDays,
  DEFAULT_FIRE_TIME,
  DEFAULT_TIME_ZONE,
  dueFieldDates,
  fireInstant,
  localDate,
  localInstant,
  MAX_CATCH_UP_DAYS,
  nextFireTime,
} from './automation/date-trigger.ts';
export { matchRule } from './automation/match-rule.ts';
export { validateAutomationRule } from './automation/validate-automation-rule.ts';
export { calendarDate } from './calendar.ts';
export type { CompiledLogic, CompileOptions } from './compile-logic.ts';
export { compileLogic, readsEnv } from './compile-logic.ts';
export { defaultOperators, joineryOperators, standardOperators } from './default-operators.ts';
export type {
  CompiledArgument,
  CompileSite,
  OperatorDefinition,
  OperatorRegistry,
} from './define-operator.ts';
export { createOperatorRegistry, defineOperator } from './define-operator.ts';
export type { EvaluationEnv, Evaluator } from './evaluator.ts';
export { RULE_LIMITS } from './limits.ts';
export type { LoanScheduleRow, LoanTerms, RepaymentMethod } from './loan-schedule.ts';
export { loanSchedule, MAX_LOAN_TERM, REPAYMENT_METHODS } from './loan-schedule.ts';
export type { LogicContext } from './logic-context.ts';
export { logicToSql } from './sql/logic-to-sql.ts';
export { isCanonicalUuid } from './sql/sql-comparison.ts';
export type { SqlField, SqlFieldType, SqlRelation, SqlSchema } from './sql/sql-schema.ts';
export { truthy } from './truthy.ts';
