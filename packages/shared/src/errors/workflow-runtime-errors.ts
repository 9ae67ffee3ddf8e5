import { defineErrors } from './define-errors.ts';

/**
 * Errors of the workflow runtime (the server side of workflows): instances, definitions and
 * records that cannot be found or seen, idempotency keys reused for another request, and
 * outbound webhooks refused for where they point.
 */
export const workflowRuntimeErrors = defineErrors({
  JNY_WORKFLOW_RUNTIME_INSTANCE_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '流程实例不存在或您无权查看',
      en: 'No such workflow instance, or you may not see it',
    },
  },
  JNY_WORKFLOW_RUNTIME_DEFINITION_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '表单 {form} 没有已发布的流程 {workflow}',
      en: 'The form {form} has no published workflow {workflow}',
    },
  },
  JNY_WORKFLOW_RUNTIME_DEFINITION_AMBIGUOUS: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '表单 {form} 有多个流程，请指定 workflow',
      en: 'The form {form} has several workflows; name one in workflow',
    },
  },
  JNY_WORKFLOW_RUNTIME_RECORD_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '表单 {form} 中没有记录 {recordId}',
      en: 'The form {form} has no record {recordId}',
    },
  },
  JNY_WORKFLOW_RUNTIME_FORM_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '应用 {app} 中没有已发布的表单 {form}',
      en: 'The app {app} has no published form {form}',
    },
  },
  JNY_WORKFLOW_RUNTIME_FIELD_UNKNOWN: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '表单 {form} 没有字段：{fields}',
      en: 'The form {form} has no fields named: {fields}',
    },
  },
  JNY_WORKFLOW_RUNTIME_ALREADY_RUNNING: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '该记录已有进行中的审批流程',
      en: 'This record already has a workflow in progress',
    },
  },
  JNY_WORKFLOW_RUNTIME_KEY_REUSED: {
    status: 422,
    cause: 'user',
    message: {
      'zh-CN': '幂等键 {key} 已用于另一个请求',
      en: 'The idempotency key {key} was already used for a different request',
    },
  },
  JNY_WORKFLOW_RUNTIME_WEBHOOK_REFUSED: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '不允许调用该地址：{reason}',
      en: 'The webhook address is refused: {reason}',
    },
  },
  JNY_WORKFLOW_RUNTIME_DELEGATION_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '代理设置无效，请检查标出的字段',
      en: 'The absence delegation is not valid; see the fields named',
    },
  },
  JNY_WORKFLOW_RUNTIME_DELEGATION_OVERLAPS: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '该用户在 {startsAt} 至 {endsAt} 已设置了代理人，时间不能重叠',
      en: 'This user already has a delegate from {startsAt} to {endsAt}; absences may not overlap',
    },
  },
  JNY_WORKFLOW_RUNTIME_DELEGATION_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: {
      'zh-CN': '代理设置 {id} 不存在或您无权查看',
      en: 'No such absence delegation {id}, or you may not see it',
    },
  },
  JNY_WORKFLOW_RUNTIME_FIELDS_NOT_WRITABLE: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '您的角色无权修改这些字段：{fields}',
      en: 'Your roles may not change these fields: {fields}',
    },
  },
});
