import { defineErrors } from './define-errors.ts';

/**
 * Errors of the automation runtime (the server side of automation rules): rules that cannot be
 * found, inbound hooks called without their secret, chains of rules that run too deep, and
 * actions that cannot do what the rule asks (no record to act on, an empty team, a field the
 * form does not have, rows that are not a list of objects), and the refusal a rule's `refuse` action answers with the analyst's own
 * message (`zh` and `en`). Invalid rule definitions are `JNY_RULE_AUTOMATION_INVALID`.
 */
export const automationErrors = defineErrors({
  JNY_AUTOMATION_RULE_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '没有自动化规则 {id}', en: 'No automation rule {id}' },
  },
  JNY_AUTOMATION_HOOK_UNAUTHORIZED: {
    status: 401,
    cause: 'user',
    message: {
      'zh-CN': 'Webhook 地址或密钥不正确',
      en: 'Unknown webhook or wrong secret',
    },
  },
  JNY_AUTOMATION_HOOK_DISABLED: {
    status: 409,
    cause: 'user',
    message: { 'zh-CN': '规则 {id} 已停用', en: 'The rule {id} is disabled' },
  },
  JNY_AUTOMATION_CHAIN_TOO_DEEP: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '自动化规则链超过 {limit} 层（{chain}），已停止并回滚',
      en: 'The chain of automation rules is deeper than {limit} ({chain}); stopped and rolled back',
    },
  },
  JNY_AUTOMATION_NO_RECORD: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '动作 {action} 需要一条记录，但触发器 {trigger} 没有记录',
      en: 'The action {action} needs a record, but the trigger {trigger} has none',
    },
  },
  JNY_AUTOMATION_TEAM_EMPTY: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '团队 {team} 没有可分配的成员',
      en: 'The team {team} has no member to assign',
    },
  },
  JNY_AUTOMATION_TEAM_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '团队 {team} 无效：应为 department:<名称或ID> 或 role:<角色标识>',
      en: 'Invalid team {team}: expected department:<name or id> or role:<role key>',
    },
  },
  JNY_AUTOMATION_RELATION_INVALID: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '表单 {form} 的字段 {relation} 不是关联字段',
      en: 'The field {relation} of the form {form} is not a relation',
    },
  },
  JNY_AUTOMATION_REFUSED: {
    status: 422,
    cause: 'user',
    message: { 'zh-CN': '{zh}', en: '{en}' },
  },
  JNY_AUTOMATION_DEADLINE_INVALID: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '任务截止时间无法计算：{value} 不是天数、小时数或日期',
      en: 'The task deadline cannot be computed: {value} is not a number of days or hours, or a date',
    },
  },
  JNY_AUTOMATION_ASSIGNEE_INVALID: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '动作 {action} 的接收人不是有效用户：{value}',
      en: 'The action {action} has no valid user to address: {value}',
    },
  },
  JNY_AUTOMATION_SUBFORM_INVALID: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '表单 {form} 的字段 {subform} 不是子表',
      en: 'The field {subform} of the form {form} is not a subform',
    },
  },
  JNY_AUTOMATION_ROWS_INVALID: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '子表 {subform} 的行须是对象列表，规则得到的是：{value}',
      en: 'The rows of the subform {subform} must be a list of objects; the rule gave: {value}',
    },
  },
});
