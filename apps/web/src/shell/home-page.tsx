import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The first page after login; the apps' dashboards will take its place (issue 9). */
export function HomePage() {
  const { t } = useTranslation();
  return (
    <section className="jny-home">
      <Typography.Title level={1}>{t('home.welcome')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
    </section>
  );
}
