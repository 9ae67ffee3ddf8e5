import { currentLocale, i18n } from '../i18n/i18n.ts';
import { ApiClient } from './api-client.ts';

/** The app's one API client: same origin, the UI language, client-side texts from i18n. */
export const api = new ApiClient({
  locale: currentLocale,
  messages: {
    network: () => i18n.t('errors.network'),
    unexpected: (status) => i18n.t('errors.unexpected', { status }),
  },
});
