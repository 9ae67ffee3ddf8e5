import { LOCALES, type Locale } from '@joinery/shared';
import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../i18n/use-locale.ts';

/**
 * Switches between 中文 and English. Each option is written in its own language, so a user who
 * cannot read the current one still finds theirs. Used before and after login.
 */
export function LanguageSwitch({ size }: { readonly size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const [locale, setLocale] = useLocale();
  return (
    <Segmented<Locale>
      aria-label={t('language.label')}
      size={size ?? 'middle'}
      value={locale}
      onChange={setLocale}
      options={LOCALES.map((value) => ({ value, label: t(`language.${value}`) }))}
    />
  );
}
