import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * Where an approval stands: approved, rejected, cancelled (withdrawn or cancelled by an admin),
 * returned for more documents, or running.
 */
export function OutcomeTag(props: { readonly outcome: string | null; readonly status: string }) {
  const { t } = useTranslation();
  const { outcome, status } = props;
  if (outcome === 'approved') return <Tag color="green">{t('inbox.outcomeApproved')}</Tag>;
  if (outcome === 'rejected') return <Tag color="red">{t('inbox.outcomeRejected')}</Tag>;
  if (outcome === 'cancelled') return <Tag>{t('inbox.outcomeCancelled')}</Tag>;
  if (outcome !== null) return <Tag>{outcome}</Tag>;
  if (status === 'returned') return <Tag color="orange">{t('inbox.outcomeReturned')}</Tag>;
  return <Tag color="blue">{t('inbox.outcomeRunning')}</Tag>;
}
