import { defineErrors } from './define-errors.ts';

/**
 * Errors of the records runtime: apps and their published forms, records (reads, writes, lists),
 * stored files, and CSV/XLSX imports. Record validation problems themselves are
 * `JNY_RECORD_INVALID` (form-errors.ts), raised by the form engine's validator.
 */
export const recordErrors = defineErrors({
  JNY_APP_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '找不到应用 {app}', en: 'No app {app}' },
  },
  JNY_APP_KEY_TAKEN: {
    status: 409,
    cause: 'user',
    message: { 'zh-CN': '应用标识 {app} 已被使用', en: 'The app key {app} is already taken' },
  },
  JNY_APP_FORM_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '应用 {app} 中没有表单 {form}', en: 'The app {app} has no form {form}' },
  },
  JNY_APP_FORM_NOT_PUBLISHED: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '表单 {form} 尚未发布',
      en: 'The form {form} has not been published yet',
    },
  },
  JNY_APP_PURGE_INVALID: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '不能清除字段 {field}：{reason}',
      en: 'The field {field} cannot be purged: {reason}',
    },
  },
  JNY_RECORD_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '找不到记录 {id}', en: 'No record {id}' },
  },
  JNY_RECORD_VERSION_CONFLICT: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '记录 {id} 已被他人修改（当前版本 {current}，提交的版本 {sent}），请刷新后重试',
      en: 'The record {id} was changed by someone else (version {current}, you sent {sent}); reload and try again',
    },
  },
  JNY_RECORD_NOT_DELETED: {
    status: 409,
    cause: 'user',
    message: { 'zh-CN': '记录 {id} 未被删除', en: 'The record {id} is not deleted' },
  },
  JNY_RECORD_DUPLICATE: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '字段 {field} 的值已存在，必须唯一',
      en: 'The value of {field} already exists and must be unique',
    },
  },
  JNY_RECORD_REFERENCE_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '字段 {field} 引用的记录不存在',
      en: 'The field {field} refers to a record that does not exist',
    },
  },
  JNY_RECORD_QUERY_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '查询参数 {parameter} 无效：{reason}',
      en: 'Invalid {parameter}: {reason}',
    },
  },
  JNY_RECORD_BULK_FAILED: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '批量操作未执行：第 {index} 条记录有误',
      en: 'Nothing was changed: item {index} of the batch failed',
    },
  },
  JNY_FILE_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '找不到文件 {id}', en: 'No file {id}' },
  },
  JNY_FILE_REFERENCE_REFUSED: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '{field} 引用的文件不存在，或既不是您上传的、也不在这条记录上',
      en: '{field} refers to a file that does not exist, or that you neither uploaded nor find on this record',
    },
  },
  JNY_FILE_TOO_LARGE: {
    status: 413,
    cause: 'user',
    message: {
      'zh-CN': '文件超过字段 {field} 允许的大小（{limit} 字节）',
      en: 'The file is larger than the field {field} allows ({limit} bytes)',
    },
  },
  JNY_FILE_TYPE_REFUSED: {
    status: 415,
    cause: 'user',
    message: {
      'zh-CN': '字段 {field} 不接受 {mime} 类型的文件',
      en: 'The field {field} does not accept files of type {mime}',
    },
  },
  JNY_FILE_FIELD_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '字段 {field} 不是附件或图片字段',
      en: 'The field {field} is not an attachment or image field',
    },
  },
  JNY_FILE_MISSING: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '请求中没有文件（multipart 字段 file）',
      en: 'The request carries no file (multipart field "file")',
    },
  },
  JNY_IMPORT_FILE_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '无法读取导入文件：{reason}',
      en: 'The import file cannot be read: {reason}',
    },
  },
  JNY_IMPORT_TOO_LARGE: {
    status: 413,
    cause: 'user',
    message: {
      'zh-CN': '导入文件超过上限：{reason}',
      en: 'The import file is over the limit: {reason}',
    },
  },
  JNY_IMPORT_MAPPING_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '列映射无效：{reason}',
      en: 'Invalid column mapping: {reason}',
    },
  },
  JNY_IMPORT_ROWS_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '有 {count} 行数据无效，未导入任何数据',
      en: '{count} rows are invalid; nothing was imported',
    },
  },
  JNY_IMPORT_JOB_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '找不到导入任务 {id}', en: 'No import job {id}' },
  },
});
