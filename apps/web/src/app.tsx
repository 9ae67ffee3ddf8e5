import { LoadingOutlined } from '@ant-design/icons';
import { Alert, Button, ConfigProvider, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { antdLocales } from './i18n/antd-locale.ts';
import { useLocale } from './i18n/use-locale.ts';
import { ChangePasswordPage } from './login/change-password-page.tsx';
import { LoginPage } from './login/login-page.tsx';
import { SessionProvider } from './session/session-context.tsx';
import { useSession } from './session/use-session.ts';

/** Starts loading the shell's code; the login form calls it as soon as a sign-in begins. */
export const loadAppShell = () => import('./shell/app-shell.tsx');

// The shell (and everything the pages after login need) stays out of the initial download.
const AppShell = lazy(() => loadAppShell().then((module) => ({ default: module.AppShell })));

// A button's own loading icon collapses through a CSS transition whose end event is sometimes
// never fired after a quick request, leaving a hidden "loading" icon in the button (and in its
// accessible name). A configured icon is simply swapped in and out.
const buttonConfig = { loadingIcon: <LoadingOutlined /> };

/** The whole app: antd in the UI language, the session, and its gate. */
export function App() {
  const [locale] = useLocale();
  return (
    <ConfigProvider locale={antdLocales[locale]} button={buttonConfig}>
      <SessionProvider>
        <SessionGate />
      </SessionProvider>
    </ConfigProvider>
  );
}

/** Shows the shell when signed in, the login page when not, and why when it cannot tell. */
function SessionGate() {
  const { t } = useTranslation();
  const { state, recheck } = useSession();
  switch (state.status) {
    case 'checking':
      return <FullPageSpinner />;
    case 'signed-out':
      return <LoginPage onSubmitStart={loadAppShell} />;
    case 'signed-in':
      if (state.user.mustChangePassword) return <ChangePasswordPage />;
      return (
        <Suspense fallback={<FullPageSpinner />}>
          <AppShell />
        </Suspense>
      );
    case 'unknown':
      return (
        <main className="jny-centered">
          <Alert
            type="error"
            showIcon
            title={t('errors.title')}
            description={state.error.message}
            action={<Button onClick={recheck}>{t('errors.retry')}</Button>}
          />
        </main>
      );
  }
}

function FullPageSpinner() {
  const { t } = useTranslation();
  return (
    <div className="jny-centered" role="status">
      <Spin size="large" description={t('app.loading')} />
    </div>
  );
}
