import type { Locale } from '@joinery/shared';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api.ts';
import { type ApiError, isApiError } from '../api/api-error.ts';
import { changePassword } from '../api/auth-api.ts';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { splitFieldProblems } from '../forms/field-errors.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { useSession } from '../session/use-session.ts';

interface Values {
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly confirm: string;
}

const SERVER_FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * Shown instead of the app while the signed-in user still has a generated or reset password:
 * the server refuses everything else until it is changed.
 */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { recheck, logout } = useSession();
  const [form] = Form.useForm<Values>();
  const [failure, setFailure] = useState<{ readonly error: ApiError; readonly locale: Locale }>();
  const [saving, setSaving] = useState(false);
  const error = failure?.locale === locale ? failure.error : undefined;

  const submit = async ({ currentPassword, newPassword }: Values) => {
    setSaving(true);
    setFailure(undefined);
    try {
      await changePassword(api, { currentPassword, newPassword });
      recheck();
    } catch (caught) {
      if (!isApiError(caught)) throw caught;
      const { onFields, elsewhere } = splitFieldProblems(caught.fields, SERVER_FIELDS);
      form.setFields(
        onFields.flatMap(({ name: [field], errors }) =>
          field === 'currentPassword' || field === 'newPassword'
            ? [{ name: field, errors: [...errors] }]
            : [],
        ),
      );
      if (onFields.length === 0 || elsewhere.length > 0) setFailure({ error: caught, locale });
      setSaving(false);
    }
  };

  return (
    <main className="jny-login">
      <div className="jny-login__language">
        <LanguageSwitch />
      </div>
      <div className="jny-login__column">
        <section className="jny-panel" aria-labelledby="jny-password-title">
          <Typography.Title level={2} className="jny-login__title" id="jny-password-title">
            {t('changePassword.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('changePassword.intro')}</Typography.Paragraph>
          {error && (
            <Alert className="jny-login__error" type="error" showIcon title={error.message} />
          )}
          <Form<Values>
            form={form}
            name="change-password"
            layout="vertical"
            requiredMark={false}
            onFinish={submit}
          >
            <Form.Item
              label={t('changePassword.current')}
              name="currentPassword"
              rules={[{ required: true, message: t('changePassword.required') }]}
            >
              <Input.Password autoComplete="current-password" autoFocus size="large" />
            </Form.Item>
            <Form.Item
              label={t('changePassword.new')}
              name="newPassword"
              extra={t('changePassword.newHint')}
              rules={[{ required: true, message: t('changePassword.required') }]}
            >
              <Input.Password autoComplete="new-password" size="large" />
            </Form.Item>
            <Form.Item
              label={t('changePassword.confirm')}
              name="confirm"
              dependencies={['newPassword']}
              rules={[
                { required: true, message: t('changePassword.required') },
                ({ getFieldValue }) => ({
                  validator: (_rule, value) =>
                    value === getFieldValue('newPassword')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('changePassword.mismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" size="large" />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={saving}>
              {t('changePassword.submit')}
            </Button>
            <Button type="link" block onClick={() => void logout()}>
              {t('shell.logout')}
            </Button>
          </Form>
        </section>
      </div>
    </main>
  );
}
