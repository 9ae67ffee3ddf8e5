import { App as AntApp, Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api.ts';
import { actOnInstance } from '../api/workflow-api.ts';
import { newIdempotencyKey } from './idempotency-key.ts';
import { useActionRunner } from './use-action-runner.ts';

/**
 * 催办: the submitter nudges whoever holds the instance's open steps — the server notifies them
 * and notes it on the timeline (and refuses anyone but the submitter or an admin). Asks first.
 */
export function RemindButton(props: {
  readonly instanceId: string;
  readonly size?: 'small' | 'middle';
  readonly onReminded?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { busy, run } = useActionRunner<'remind'>();
  const remind = async () => {
    const done = await run('remind', () =>
      actOnInstance(api, props.instanceId, { action: 'remind' }, newIdempotencyKey()),
    );
    if (!done) return;
    message.success(t('workflow.reminded'));
    props.onReminded?.();
  };
  return (
    <Popconfirm
      title={t('workflow.remindConfirm')}
      okText={t('workflow.remind')}
      cancelText={t('inbox.cancel')}
      onConfirm={remind}
    >
      <Button size={props.size ?? 'middle'} loading={busy === 'remind'}>
        {t('workflow.remind')}
      </Button>
    </Popconfirm>
  );
}
