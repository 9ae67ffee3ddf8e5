import { defineErrors } from './define-errors.ts';

/**
 * Errors of app packages (`joinery app export|import`): a folder that cannot be read as a
 * package, a package whose files the engines refuse (every problem is listed with its file),
 * and an app to export that does not exist.
 */
export const appPackageErrors = defineErrors({
  JNY_APPPKG_UNREADABLE: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '无法读取应用包 {path}：{reason}',
      en: 'The app package {path} cannot be read: {reason}',
    },
  },
  JNY_APPPKG_INVALID: {
    status: 400,
    cause: 'user',
    message: {
      'zh-CN': '应用包有 {count} 处问题，未做任何更改：{first}',
      en: 'The app package has {count} problem(s); nothing was changed: {first}',
    },
  },
  JNY_APPPKG_NO_PUBLISHER: {
    status: 409,
    cause: 'user',
    message: {
      'zh-CN': '还没有管理员账号，无法安装应用；请先运行 joinery create-admin',
      en: 'There is no administrator to install the app as; run joinery create-admin first',
    },
  },
});
