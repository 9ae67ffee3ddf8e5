import { defineErrors } from './define-errors.ts';

/**
 * Errors of the rule engine (`@joinery/rules`): compiling a JSON-logic expression, evaluating it
 * within its safety limits, translating it to SQL, and validating automation rules. `{path}` is
 * the JSON pointer of the offending node inside the expression, e.g. `/and/1/>`.
 */
export const ruleErrors = defineErrors({
  JNY_RULE_UNKNOWN_OPERATOR: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '条件中有未知的运算符 {operator}（位置 {path}）',
      en: 'Unknown operator {operator} in the condition (at {path})',
    },
  },
  JNY_RULE_MALFORMED: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '条件格式错误：{reason}（位置 {path}）',
      en: 'Malformed condition: {reason} (at {path})',
    },
  },
  JNY_RULE_ARITY: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '运算符 {operator} 需要 {expected} 个参数，实际为 {actual}（位置 {path}）',
      en: 'Operator {operator} takes {expected} arguments, got {actual} (at {path})',
    },
  },
  JNY_RULE_TOO_DEEP: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '条件嵌套超过 {limit} 层（位置 {path}）',
      en: 'The condition is nested deeper than {limit} levels (at {path})',
    },
  },
  JNY_RULE_TOO_LARGE: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '条件过大：超过 {limit} 个节点',
      en: 'The condition is too large: more than {limit} nodes',
    },
  },
  JNY_RULE_UNSAFE_PATTERN: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '不支持的正则表达式：{reason}（位置 {path}）',
      en: 'Unsupported regular expression: {reason} (at {path})',
    },
  },
  JNY_RULE_BUDGET_EXCEEDED: {
    status: 422,
    cause: 'user',
    message: {
      'zh-CN': '条件计算量超过上限（{limit} 步）',
      en: 'Evaluating the condition took more than {limit} steps',
    },
  },
  JNY_RULE_VALUE_TOO_LARGE: {
    status: 422,
    cause: 'user',
    message: {
      'zh-CN': '条件计算产生的{kind}长度超过上限 {limit}',
      en: 'Evaluating the condition produced a {kind} longer than {limit}',
    },
  },
  JNY_RULE_EVALUATION_FAILED: {
    status: 422,
    cause: 'user',
    message: {
      'zh-CN': '条件计算失败：{reason}',
      en: 'The condition could not be evaluated: {reason}',
    },
  },
  JNY_RULE_SQL_UNSUPPORTED: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '条件无法在数据库中执行：{reason}（位置 {path}）',
      en: 'The condition cannot run in the database: {reason} (at {path})',
    },
  },
  JNY_RULE_SQL_UNKNOWN_FIELD: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '条件引用了未知字段 {field}（位置 {path}）',
      en: 'The condition refers to an unknown field {field} (at {path})',
    },
  },
  JNY_RULE_AUTOMATION_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '自动化规则无效：{reason}（位置 {path}）',
      en: 'Invalid automation rule: {reason} (at {path})',
    },
  },
});
