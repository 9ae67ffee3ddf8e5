import { App as AntApp, Button, Form, Input, Modal, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api.ts';
import { actOnInstance, getInstance } from '../api/workflow-api.ts';
import { useLoaded } from '../runtime/published-forms.ts';
import { useSignedInUser } from '../session/use-session.ts';
import { newIdempotencyKey } from './idempotency-key.ts';
import { RemindButton } from './remind-button.tsx';
import { useActionRunner } from './use-action-runner.ts';

type Action = 'withdraw' | 'resubmit';

/**
 * The submitter's actions on their own unfinished instance: withdraw it (撤回; the server
 * allows it before the first decision, or while returned), remind whoever holds it while it
 * runs (催办) and, once returned for more documents, resubmit it (重新提交) with a note. Each
 * asks first; a refusal shows the server's message. Nothing is shown to anyone else, or once
 * the instance has finished.
 */
export function InstanceActions(props: {
  readonly instanceId: string;
  /** Called after an action went through (e.g. to reload the timeline). */
  readonly onChanged?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const user = useSignedInUser();
  const [generation, setGeneration] = useState(0);
  const instance = useLoaded(
    () => getInstance(api, props.instanceId),
    [props.instanceId, generation],
  );
  const { busy, run } = useActionRunner<Action>();
  const [resubmitting, setResubmitting] = useState(false);
  const [form] = Form.useForm<{ comment?: string }>();
  if (instance.status !== 'ready') return null;
  const { value } = instance;
  if (value.submitter !== user.id || value.finishedAt !== null) return null;

  const act = async (action: Action, comment?: string) => {
    const request = { action, ...(comment ? { comment } : {}) };
    const done = await run(action, () =>
      actOnInstance(api, props.instanceId, request, newIdempotencyKey()),
    );
    if (!done) return;
    setResubmitting(false);
    message.success(t(action === 'withdraw' ? 'workflow.withdrawn' : 'workflow.resubmitted'));
    setGeneration((n) => n + 1);
    props.onChanged?.();
  };

  return (
    <Space wrap className="jny-instance-actions">
      <Popconfirm
        title={t('workflow.withdrawConfirm')}
        okText={t('workflow.withdraw')}
        cancelText={t('inbox.cancel')}
        onConfirm={() => act('withdraw')}
      >
        <Button danger loading={busy === 'withdraw'}>
          {t('workflow.withdraw')}
        </Button>
      </Popconfirm>
      {value.status === 'running' && (
        <RemindButton
          instanceId={props.instanceId}
          onReminded={() => {
            setGeneration((n) => n + 1);
            props.onChanged?.();
          }}
        />
      )}
      {value.status === 'returned' && (
        <Button type="primary" onClick={() => setResubmitting(true)}>
          {t('workflow.resubmit')}
        </Button>
      )}
      <Modal
        open={resubmitting}
        title={t('workflow.resubmitTitle')}
        okText={t('workflow.resubmit')}
        cancelText={t('inbox.cancel')}
        confirmLoading={busy === 'resubmit'}
        onOk={async () => {
          const values = await form.validateFields().catch(() => undefined);
          if (values) await act('resubmit', values.comment?.trim());
        }}
        onCancel={() => setResubmitting(false)}
        destroyOnHidden
      >
        <Form form={form} name="instance-action" layout="vertical" preserve={false}>
          <Form.Item name="comment" label={t('inbox.comment')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10_000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
