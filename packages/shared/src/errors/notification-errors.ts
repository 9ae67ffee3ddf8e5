import { defineErrors } from './define-errors.ts';

/** Errors of the notifications API (workflow and automation notifications alike). */
export const notificationErrors = defineErrors({
  JNY_NOTIFICATION_NOT_FOUND: {
    status: 404,
    cause: 'user',
    message: { 'zh-CN': '通知 {id} 不存在', en: 'No such notification {id}' },
  },
});
