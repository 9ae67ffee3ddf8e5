import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Layout, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { useSession, useSignedInUser } from '../session/use-session.ts';

/** The top bar: product name, who is signed in, the language switch and sign-out. */
export function ShellHeader() {
  const { t } = useTranslation();
  const user = useSignedInUser();
  const { logout } = useSession();
  const [leaving, setLeaving] = useState(false);

  const signOut = () => {
    setLeaving(true);
    // The session ends locally whatever the server answers; nothing to report here.
    logout().catch(() => setLeaving(false));
  };

  return (
    <Layout.Header className="jny-shell__header">
      <Link to="/" className="jny-shell__product">
        {t('app.name')}
      </Link>
      <Space size="middle">
        <span className="jny-shell__user" title={t('shell.userMenu', { name: user.displayName })}>
          <Avatar size="small" icon={<UserOutlined />} />
          <Typography.Text className="jny-shell__user-name">{user.displayName}</Typography.Text>
          {user.isAdmin && <Tag color="blue">{t('shell.admin')}</Tag>}
        </span>
        <LanguageSwitch size="small" />
        <Button icon={<LogoutOutlined />} onClick={signOut} loading={leaving}>
          {t('shell.logout')}
        </Button>
      </Space>
    </Layout.Header>
  );
}
