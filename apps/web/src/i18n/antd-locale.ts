import type { Locale } from '@joinery/shared';
import type { ConfigProviderProps } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';

type AntdLocale = NonNullable<ConfigProviderProps['locale']>;

/** antd's own texts (pagination, pickers, empty states) for each UI language. */
export const antdLocales: Readonly<Record<Locale, AntdLocale>> = {
  'zh-CN': zhCN,
  en: enUS,
};
