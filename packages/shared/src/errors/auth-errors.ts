import { defineErrors } from './define-errors.ts';

/** Errors of identity: login, sessions, CSRF, API tokens, users and departments. */
export const authErrors = defineErrors({
  JNY_AUTH_REQUIRED: {
    status: 401,
    cause: 'user',
    message: { 'zh-CN': '请先登录', en: 'Please sign in first' },
  },
  JNY_AUTH_INVALID_CREDENTIALS: {
    status: 401,
    cause: 'user',
    message: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  },
  JNY_AUTH_ACCOUNT_LOCKED: {
    status: 429,
    cause: 'user',
    message: {
      'zh-CN': '登录失败次数过多，账号已锁定，请在 {retryAfter} 秒后重试',
      en: 'Too many failed sign-ins; the account is locked for {retryAfter} seconds',
    },
  },
  JNY_AUTH_ACCOUNT_DISABLED: {
    status: 403,
    cause: 'user',
    message: { 'zh-CN': '账号已停用', en: 'This account is disabled' },
  },
  JNY_AUTH_CSRF_INVALID: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '缺少或无效的 CSRF 令牌（请求头 x-csrf-token）',
      en: 'Missing or invalid CSRF token (header x-csrf-token)',
    },
  },
  JNY_AUTH_TOKEN_INVALID: {
    status: 401,
    cause: 'user',
    message: { 'zh-CN': 'API 令牌无效或已撤销', en: 'The API token is invalid or revoked' },
  },
  JNY_AUTH_FORBIDDEN: {
    status: 403,
    cause: 'user',
    message: { 'zh-CN': '没有执行此操作的权限', en: 'You are not allowed to do this' },
  },
  JNY_AUTH_PASSWORD_WEAK: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '密码至少 {minLength} 位，且须包含字母和数字',
      en: 'The password needs at least {minLength} characters, with letters and digits',
    },
  },
  JNY_AUTH_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    cause: 'user',
    message: {
      'zh-CN': '请先修改初始密码',
      en: 'Change your initial password first',
    },
  },
  JNY_AUTH_PASSWORD_WRONG: {
    status: 400,
    cause: 'user',
    message: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  },
  JNY_USER_EXISTS: {
    status: 409,
    cause: 'user',
    message: { 'zh-CN': '用户名 {username} 已存在', en: 'The username {username} is taken' },
  },
  JNY_USER_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '用户不存在', en: 'No such user' },
  },
  JNY_DEPARTMENT_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '部门不存在', en: 'No such department' },
  },
  JNY_DEPARTMENT_CYCLE: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '部门不能移动到它自己或它的下级部门之下',
      en: 'A department cannot be moved under itself or one of its sub-departments',
    },
  },
  JNY_DEPARTMENT_NOT_EMPTY: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '部门下还有子部门或成员，不能删除',
      en: 'The department still has sub-departments or members',
    },
  },
  JNY_TOKEN_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': 'API 令牌不存在', en: 'No such API token' },
  },
});
