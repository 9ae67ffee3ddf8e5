import {
  addDays,
  addMonths,
  calendarDate,
  diffDays,
  diffMonths,
  formatInstant,
  parseInstant,
} from '../calendar.ts';
import { argumentAt, defineOperator, eager } from '../define-operator.ts';
import type { EvaluationEnv } from '../evaluator.ts';

/** Date units accepted by `date_add` and `date_diff` (singular or plural). */
type Unit = 'day' | 'month' | 'year';

function unitOf(value: unknown): Unit | null {
  switch (value) {
    case 'day':
    case 'days':
      return 'day';
    case 'month':
    case 'months':
      return 'month';
    case 'year':
    case 'years':
      return 'year';
    default:
      return null;
  }
}

function nowMs(env: EvaluationEnv): number {
  return (env.context.now ?? new Date()).getTime();
}

/** Today's calendar date in the context's UTC offset; shared with `cn_id_age`. */
export function todayOf(env: EvaluationEnv): string {
  return calendarDate(nowMs(env), env.context.utcOffsetMinutes ?? 0);
}

function dateAdd(date: unknown, amount: unknown, unitName: unknown): string | null {
  const instant = parseInstant(date);
  const unit = unitOf(unitName);
  const count = typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : amount;
  if (!instant || !unit || typeof count !== 'number' || !Number.isInteger(count)) return null;
  const ms =
    unit === 'day'
      ? addDays(instant.ms, count)
      : addMonths(instant.ms, unit === 'month' ? count : count * 12);
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) return null;
  return formatInstant({ ms, dateOnly: instant.dateOnly });
}

/** Whole units from `from` to `to`, truncated toward zero; null for invalid input. */
export function dateDiff(from: unknown, to: unknown, unitName: unknown): number | null {
  const start = parseInstant(from);
  const end = parseInstant(to);
  const unit = unitOf(unitName);
  if (!start || !end || !unit) return null;
  if (unit === 'day') return diffDays(start.ms, end.ms);
  const months = diffMonths(start.ms, end.ms);
  return unit === 'month' ? months : Math.trunc(months / 12) || 0;
}

/** Joinery's date operators. Dates are `YYYY-MM-DD` or ISO 8601 strings, computed in UTC. */
export const dateOperators = [
  defineOperator({
    name: 'today',
    version: 1,
    arity: [0, 0],
    pure: false,
    usesEnv: true,
    doc: {
      'zh-CN': '今天的日期 YYYY-MM-DD（按上下文时区偏移）',
      en: "Today's date as YYYY-MM-DD (in the context's UTC offset)",
    },
    compile: () => (_data, env) => todayOf(env),
  }),
  defineOperator({
    name: 'now',
    version: 1,
    arity: [0, 0],
    pure: false,
    usesEnv: true,
    doc: { 'zh-CN': '当前时间（ISO 8601 UTC）', en: 'The current instant (ISO 8601 UTC)' },
    compile: () => (_data, env) => new Date(nowMs(env)).toISOString(),
  }),
  defineOperator({
    name: 'date_add',
    version: 1,
    arity: [3, 3],
    pure: true,
    doc: {
      'zh-CN': '日期加减：[日期, 整数, "day"|"month"|"year"]，月末自动对齐',
      en: 'Adds [date, integer, "day"|"month"|"year"]; month ends clamp',
    },
    compile: eager(dateAdd),
  }),
  defineOperator({
    name: 'date_diff',
    version: 1,
    arity: [3, 3],
    pure: true,
    doc: {
      'zh-CN': '日期差：[起, 止, 单位]，按整单位向零取整',
      en: 'Whole units from → to: [from, to, "day"|"month"|"year"], truncated',
    },
    compile: (args) => {
      const from = argumentAt(args, 0);
      const to = argumentAt(args, 1);
      const unit = argumentAt(args, 2);
      return (data, env) => dateDiff(from(data, env), to(data, env), unit(data, env));
    },
  }),
];
