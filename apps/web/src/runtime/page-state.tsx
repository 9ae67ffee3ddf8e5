import { Alert, Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Loaded } from './published-forms.ts';

/**
 * Shows a page's loading state: a spinner, the server's error (404s as "not found"), or the
 * page itself once its data is there.
 */
export function PageState<T>(props: {
  readonly state: Loaded<T>;
  readonly children: (value: T) => ReactNode;
}) {
  const { t } = useTranslation();
  const { state } = props;
  if (state.status === 'loading') {
    return (
      <div className="jny-centered" role="status">
        <Spin description={t('app.loading')} />
      </div>
    );
  }
  if (state.status === 'failed') {
    if (state.error.status === 404) return <Result status="404" title={state.error.message} />;
    return (
      <Alert
        type="error"
        showIcon
        title={t('errors.title')}
        description={state.error.message}
        action={<Button onClick={() => window.location.reload()}>{t('errors.retry')}</Button>}
      />
    );
  }
  return <>{props.children(state.value)}</>;
}
