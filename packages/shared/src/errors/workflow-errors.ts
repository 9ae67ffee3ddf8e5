import { defineErrors } from './define-errors.ts';

/**
 * Errors of the workflow engine: invalid definitions (refused before publishing), and actions
 * that do not fit the instance's current state (closed tasks, someone else's task, finished
 * instances). All are the caller's fault except a definition/state mismatch, which is a bug of
 * the runtime that loaded them.
 */
export const workflowErrors = defineErrors({
  JNY_WORKFLOW_DEFINITION_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '流程定义无效：{details}',
      en: 'The workflow definition is invalid: {details}',
    },
  },
  JNY_WORKFLOW_NODE_TYPE_UNKNOWN: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '未知的节点类型 {type} v{version}（节点 {nodeId}）',
      en: 'Unknown node type {type} v{version} (node {nodeId})',
    },
  },
  JNY_WORKFLOW_INSTANCE_FINISHED: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '流程已结束（{outcome}），不能再操作',
      en: 'The workflow has finished ({outcome}); no more actions are accepted',
    },
  },
  JNY_WORKFLOW_INSTANCE_STARTED: {
    status: 409,
    cause: 'user',
    message: { 'zh-CN': '流程已经启动', en: 'The workflow has already started' },
  },
  JNY_WORKFLOW_INSTANCE_NOT_STARTED: {
    status: 409,
    cause: 'user',
    message: { 'zh-CN': '流程尚未启动', en: 'The workflow has not started yet' },
  },
  JNY_WORKFLOW_TASK_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '待办 {taskId} 不存在', en: 'No such task: {taskId}' },
  },
  JNY_WORKFLOW_TASK_CLOSED: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '待办 {taskId} 已处理（{outcome}）',
      en: 'The task {taskId} is already closed ({outcome})',
    },
  },
  JNY_WORKFLOW_TASK_CLAIMED: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '待办 {taskId} 已被他人认领',
      en: 'The task {taskId} has been claimed by someone else',
    },
  },
  JNY_WORKFLOW_NOT_ASSIGNEE: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '待办 {taskId} 不是您的待办',
      en: 'The task {taskId} is not assigned to you',
    },
  },
  JNY_WORKFLOW_NOT_SUBMITTER: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '只有提交人可以{action}',
      en: 'Only the submitter may {action}',
    },
  },
  JNY_WORKFLOW_NOT_ADMIN: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '只有管理员可以{action}',
      en: 'Only an administrator may {action}',
    },
  },
  JNY_WORKFLOW_WITHDRAW_TOO_LATE: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '已有审批意见，不能撤回',
      en: 'A reviewer has already decided; the request can no longer be withdrawn',
    },
  },
  JNY_WORKFLOW_RETURN_TARGET_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '不能退回到节点 {nodeId}：{reason}',
      en: 'Cannot return to node {nodeId}: {reason}',
    },
  },
  JNY_WORKFLOW_ACTION_NOT_ALLOWED: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '当前不能执行 {action}：{reason}',
      en: 'The action {action} is not possible now: {reason}',
    },
  },
  JNY_WORKFLOW_FIELDS_NOT_EDITABLE: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '此步骤不允许修改字段：{fields}',
      en: 'This step does not allow editing the fields: {fields}',
    },
  },
  JNY_WORKFLOW_STATE_MISMATCH: {
    status: 500,
    cause: 'bug',
    message: {
      'zh-CN': '流程实例与流程定义版本不匹配：{details}',
      en: 'The workflow instance does not match the definition it was given: {details}',
    },
  },
});
