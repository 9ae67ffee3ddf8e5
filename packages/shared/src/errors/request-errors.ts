import { defineErrors } from './define-errors.ts';

/** Errors about the shape of a request, before any business logic runs. */
export const requestErrors = defineErrors({
  JNY_REQUEST_INVALID: {
    status: 400,
    cause: 'user',
    message: { 'zh-CN': '请求无效：{details}', en: 'Invalid request: {details}' },
  },
  JNY_REQUEST_MALFORMED_JSON: {
    status: 400,
    cause: 'user',
    message: { 'zh-CN': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  },
  JNY_REQUEST_BODY_TOO_LARGE: {
    status: 413,
    cause: 'user',
    message: { 'zh-CN': '请求体过大', en: 'The request body is too large' },
  },
  JNY_REQUEST_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    cause: 'user',
    message: {
      'zh-CN': '不支持的内容类型：{contentType}',
      en: 'Unsupported content type: {contentType}',
    },
  },
  JNY_REQUEST_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '找不到 {method} {url}', en: 'No route for {method} {url}' },
  },
  JNY_REQUEST_RATE_LIMITED: {
    status: 429,
    cause: 'user',
    message: {
      'zh-CN': '请求过于频繁，请在 {retryAfter} 秒后重试',
      en: 'Too many requests; try again in {retryAfter} seconds',
    },
  },
  JNY_SERVER_UNAVAILABLE: {
    status: 503,
    cause: 'transient',
    message: {
      'zh-CN': '服务暂时不可用，请稍后重试',
      en: 'The service is unavailable; try again later',
    },
  },
  JNY_SERVER_INTERNAL: {
    status: 500,
    cause: 'bug',
    message: {
      'zh-CN': '服务器内部错误（编号 {requestId}）',
      en: 'Internal server error (reference {requestId})',
    },
  },
});
