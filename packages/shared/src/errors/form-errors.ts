import { defineErrors } from './define-errors.ts';

/** Errors of the form engine: form definitions, publishing, and the records they validate. */
export const formErrors = defineErrors({
  JNY_FORM_DEFINITION_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '表单定义无效（{count} 处问题）',
      en: 'The form definition is invalid ({count} problems)',
    },
  },
  JNY_FORM_FIELD_TYPE_UNKNOWN: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '未知的字段类型 {type}（版本 {version}）',
      en: 'Unknown field type {type} (version {version})',
    },
  },
  JNY_FORM_PUBLISH_REFUSED: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '无法发布表单 {form}：{reason}',
      en: 'The form {form} cannot be published: {reason}',
    },
  },
  JNY_FORM_TYPE_CHANGE_UNSUPPORTED: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '字段 {field} 不能从 {from} 改为 {to}',
      en: 'The field {field} cannot change from {from} to {to}',
    },
  },
  JNY_FORM_TYPE_CHANGE_ROWS_UNCONVERTIBLE: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '字段 {field} 有 {count} 条记录无法转换为 {to}，已拒绝发布',
      en: 'The field {field} has {count} records that cannot convert to {to}; publishing refused',
    },
  },
  JNY_RECORD_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '记录无效（{count} 处问题）',
      en: 'The record is invalid ({count} problems)',
    },
  },
  JNY_RECORD_FIELD_HIDDEN: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '字段 {field} 当前隐藏，不能提交值',
      en: 'The field {field} is hidden and cannot take a value',
    },
  },
});
