import type { zhCN } from './locales/zh-CN.ts';

// Types `t('…')` keys against the Chinese resources, so a misspelt key fails the typecheck.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}
