import { DEFAULT_LOCALE, LOCALES, type Locale } from '@joinery/shared';
import { useTranslation } from 'react-i18next';
import { changeLocale } from './i18n.ts';

/** The UI language, re-rendering on change, and the function that switches (and saves) it. */
export function useLocale(): readonly [Locale, (locale: Locale) => void] {
  const { i18n } = useTranslation();
  const language = i18n.language;
  const locale = LOCALES.find((candidate) => candidate === language) ?? DEFAULT_LOCALE;
  return [locale, (next) => void changeLocale(next)] as const;
}
