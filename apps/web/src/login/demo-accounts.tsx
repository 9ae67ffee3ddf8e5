import type { Locale } from '@joinery/shared';
import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Credentials } from '../api/auth-api.ts';
import type { DemoAccount } from '../api/meta-api.ts';

interface DemoAccountsProps {
  readonly accounts: readonly DemoAccount[];
  readonly locale: Locale;
  /** Fills the login form with this account. */
  readonly onPick: (credentials: Credentials) => void;
}

/** The demo mode's accounts, one button each; a click fills the login form. */
export function DemoAccounts({ accounts, locale, onPick }: DemoAccountsProps) {
  const { t } = useTranslation();
  return (
    <section className="jny-panel jny-panel--small" aria-labelledby="jny-demo-accounts-title">
      <Typography.Title level={3} className="jny-panel__title" id="jny-demo-accounts-title">
        {t('login.demoTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('login.demoHint')}</Typography.Paragraph>
      <ul className="jny-demo-accounts__list">
        {accounts.map((account) => {
          const role = account.role[locale];
          return (
            <li key={account.username}>
              <Button
                type="link"
                aria-label={t('login.demoFill', { username: account.username, role })}
                onClick={() => onPick({ username: account.username, password: account.password })}
              >
                <span className="jny-demo-accounts__username">{account.username}</span>
                <Typography.Text type="secondary">{role}</Typography.Text>
              </Button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
