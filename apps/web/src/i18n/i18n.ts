import { DEFAULT_LOCALE, LOCALES, type Locale, pickLocale } from '@joinery/shared';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

/** Where the user's language choice is kept between visits. */
export const LOCALE_STORAGE_KEY = 'joinery.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function readSavedLocale(): Locale | undefined {
  try {
    const saved = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(saved) ? saved : undefined;
  } catch {
    // Storage can be disabled (private windows, strict policies); then nothing was saved.
    return undefined;
  }
}

/**
 * The language to start in: the user's saved choice, else the browser's preferred languages
 * (by the same rule the server applies to `Accept-Language`), else Chinese.
 */
export function detectLocale(): Locale {
  const saved = readSavedLocale();
  if (saved) return saved;
  const browser = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return pickLocale(browser.join(','));
}

/** The language the UI shows now. */
export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : DEFAULT_LOCALE;
}

/** Switches the UI language and remembers the choice for the next visit. */
export async function changeLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Without storage the choice lasts for this page only.
  }
  await i18next.changeLanguage(locale);
}

i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

/**
 * Initialises i18next once, synchronously (the resources are bundled, so the first render
 * already has its strings). React escapes output, so i18next must not escape again.
 */
export const i18n = i18next;
void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: detectLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  load: 'currentOnly',
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});
