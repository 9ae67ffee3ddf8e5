import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** "代 X 处理": the absent user a delegate does the task for; nothing when none. */
export function OnBehalfOf(props: {
  readonly task: { readonly onBehalfOf: string | null; readonly onBehalfOfName: string | null };
}) {
  const { t } = useTranslation();
  const { onBehalfOf, onBehalfOfName } = props.task;
  if (onBehalfOf === null) return null;
  return <Tag color="purple">{t('inbox.onBehalfOf', { name: onBehalfOfName ?? onBehalfOf })}</Tag>;
}
