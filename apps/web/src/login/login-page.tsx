import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { Locale } from '@joinery/shared';
import { Alert, Button, Form, Input, type InputRef, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, isApiError } from '../api/api-error.ts';
import type { Credentials } from '../api/auth-api.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { splitFieldProblems } from '../forms/field-errors.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { useSession } from '../session/use-session.ts';
import { DemoAccounts } from './demo-accounts.tsx';
import { useServerMeta } from './use-server-meta.ts';

const FORM_FIELDS = ['username', 'password'] as const;
type FormField = (typeof FORM_FIELDS)[number];

function isFormField(value: unknown): value is FormField {
  return FORM_FIELDS.some((field) => field === value);
}

interface LoginPageProps {
  /** Called when a sign-in starts: time to fetch the code of the pages after login. */
  readonly onSubmitStart?: () => unknown;
}

/**
 * The sign-in page: username and password, the server's error in the UI language (on the field
 * when the server names one), the language switch, and in demo mode the demo accounts.
 */
export function LoginPage({ onSubmitStart }: LoginPageProps) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { login } = useSession();
  const meta = useServerMeta();
  const [form] = Form.useForm<Credentials>();
  // A server message is in the language of its request: shown only while that language is on.
  const [failure, setFailure] = useState<{ readonly error: ApiError; readonly locale: Locale }>();
  const error = failure?.locale === locale ? failure.error : undefined;
  const [submitting, setSubmitting] = useState(false);
  const passwordInput = useRef<InputRef>(null);

  const submit = async (credentials: Credentials) => {
    // The form stays enabled while signing in (disabling it would drop the keyboard focus);
    // a second Enter meanwhile is ignored here.
    if (submitting) return;
    setSubmitting(true);
    setFailure(undefined);
    onSubmitStart?.();
    try {
      await login(credentials);
    } catch (caught) {
      if (!isApiError(caught)) throw caught;
      const { onFields, elsewhere } = splitFieldProblems(caught.fields, FORM_FIELDS);
      form.setFields(
        onFields.flatMap(({ name: [field], errors }) =>
          isFormField(field) ? [{ name: field, errors: [...errors] }] : [],
        ),
      );
      if (onFields.length === 0 || elsewhere.length > 0) setFailure({ error: caught, locale });
      // Wrong credentials: the password is what to retype, so select it.
      if (caught.code === 'JNY_AUTH_INVALID_CREDENTIALS')
        passwordInput.current?.focus({ cursor: 'all' });
      setSubmitting(false);
    }
  };

  const pickDemoAccount = (credentials: Credentials) => {
    form.setFieldsValue(credentials);
    setFailure(undefined);
  };

  return (
    <main className="jny-login">
      <div className="jny-login__language">
        <LanguageSwitch />
      </div>
      <div className="jny-login__column">
        <header className="jny-login__brand">
          <Typography.Title level={1} className="jny-login__product">
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </header>
        <section className="jny-panel" aria-labelledby="jny-login-title">
          <Typography.Title level={2} className="jny-login__title" id="jny-login-title">
            {t('login.title')}
          </Typography.Title>
          {error && (
            <Alert className="jny-login__error" type="error" showIcon title={error.message} />
          )}
          <Form<Credentials>
            form={form}
            name="login"
            layout="vertical"
            requiredMark={false}
            onFinish={submit}
          >
            <Form.Item
              label={t('login.username')}
              name="username"
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined aria-hidden />}
                placeholder={t('login.usernamePlaceholder')}
                autoComplete="username"
                autoFocus
                size="large"
              />
            </Form.Item>
            <Form.Item
              label={t('login.password')}
              name="password"
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                ref={passwordInput}
                prefix={<LockOutlined aria-hidden />}
                placeholder={t('login.passwordPlaceholder')}
                autoComplete="current-password"
                size="large"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={submitting}>
              {t('login.submit')}
            </Button>
          </Form>
        </section>
        {meta?.demo && meta.demoAccounts.length > 0 && (
          <DemoAccounts accounts={meta.demoAccounts} locale={locale} onPick={pickDemoAccount} />
        )}
        {meta && (
          <Typography.Text type="secondary" className="jny-login__version">
            {meta.name} · {t('app.version', { version: meta.version })}
          </Typography.Text>
        )}
      </div>
    </main>
  );
}
