import { defineErrors } from './define-errors.ts';

/** Errors of roles, permissions, encrypted (sensitive) fields and the audit log. */
export const accessErrors = defineErrors({
  JNY_ROLE_EXISTS: {
    status: 409,
    cause: 'user',
    message: { 'zh-CN': '角色标识 {key} 已存在', en: 'The role key {key} is taken' },
  },
  JNY_ROLE_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '角色不存在', en: 'No such role' },
  },
  JNY_FIELD_ENCRYPTED_QUERY: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN':
        '字段 {field} 加密存储，只能按“等于”或“属于列表”查询；不能排序、比较大小、模糊搜索，也不能在报表中分组或汇总',
      en: 'The field {field} is stored encrypted: it can only be matched for equal values (== or in a list); it cannot be sorted, compared as a range, searched by substring, or grouped or summed in reports',
    },
  },
  JNY_FIELD_MASKED_QUERY: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN':
        '字段 {field} 对您脱敏显示：不能按它筛选、排序、搜索，也不能在报表中按它分组、汇总或筛选',
      en: 'You see the field {field} masked: you cannot filter, sort or search on it, nor group, aggregate or filter on it in reports',
    },
  },
  JNY_FIELD_VALUE_UNREADABLE: {
    status: 500,
    cause: 'bug',
    message: {
      'zh-CN':
        '字段 {field} 的加密数据无法解密（{reason}）：数据可能被篡改，或缺少加密密钥，请联系管理员',
      en: 'A stored value of the field {field} cannot be decrypted ({reason}): it was altered or its key is missing; tell an administrator',
    },
  },
});
