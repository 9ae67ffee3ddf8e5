import type { OpenTask, TaskActionRequest, TaskView } from '@joinery/shared';
import { App as AntApp, Button, Form, Input, Modal, Popconfirm, Radio, Select, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/api.ts';
import { actOnTask, instanceTimeline } from '../api/workflow-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { localized } from '../runtime/field-model.ts';
import { UserPicker } from '../runtime/form/pickers.tsx';
import { useLoaded } from '../runtime/published-forms.ts';
import { useSignedInUser } from '../session/use-session.ts';
import { newIdempotencyKey } from '../workflow/idempotency-key.ts';
import type { StepNames } from '../workflow/step-names.ts';
import { useActionRunner } from '../workflow/use-action-runner.ts';
import { INBOX_PATH } from './inbox-paths.ts';

/** The actions that open a dialog (the dialog is the confirmation). */
type Dialog = 'transfer' | 'add-signer' | 'return-step';
type MoreAction = Dialog | 'release';

interface DialogValues {
  readonly to?: string;
  readonly signer?: string;
  readonly position?: 'before' | 'after';
  readonly nodeId?: string;
  readonly comment?: string;
}

const DONE = {
  transfer: 'inbox.transferred',
  'add-signer': 'inbox.signerAdded',
  'return-step': 'inbox.returnedToStep',
  release: 'inbox.released',
} as const;

/**
 * A reviewer's other ways with an open task: hand it to someone else (转交), ask someone to sign
 * before or after them (加签), send it back to a step the instance passed (退回到某一步, picked
 * from its history), and give a claimed group task back to the group (释放). Each asks first;
 * the server decides whether it is allowed and its refusal is shown as it says it.
 */
export function TaskMoreActions(props: {
  readonly task: TaskView;
  readonly open: OpenTask;
  readonly steps: StepNames;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const user = useSignedInUser();
  const { task, open } = props;
  const { busy, run } = useActionRunner<MoreAction>();
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const [form] = Form.useForm<DialogValues>();
  const timeline = useLoaded(() => instanceTimeline(api, task.instanceId), [task.instanceId]);
  // Steps the instance passed (in order, once each), other than this one: where it may go back.
  const earlier = useMemo(() => {
    if (timeline.status !== 'ready') return [];
    const passed = timeline.value
      .filter((entry) => entry.action === 'step-approved' && entry.nodeId !== null)
      .map((entry) => entry.nodeId ?? '');
    return [...new Set(passed)].filter((nodeId) => nodeId !== task.nodeId);
  }, [timeline, task.nodeId]);

  const act = async (action: MoreAction, request: TaskActionRequest) => {
    const done = await run(action, () => actOnTask(api, task.id, request, newIdempotencyKey()));
    if (!done) return;
    setDialog(undefined);
    message.success(t(DONE[action]));
    navigate(INBOX_PATH);
  };

  const confirm = async () => {
    if (!dialog) return;
    // A refused field shows its message on the field; nothing is sent.
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    const comment = values.comment?.trim() ?? '';
    const withComment = comment === '' ? {} : { comment };
    if (dialog === 'transfer' && values.to) {
      await act('transfer', { action: 'transfer', to: values.to, ...withComment });
    } else if (dialog === 'add-signer' && values.signer) {
      await act('add-signer', {
        action: 'add-signer',
        userIds: [values.signer],
        position: values.position ?? 'before',
        ...withComment,
      });
    } else if (dialog === 'return-step' && values.nodeId) {
      await act('return-step', {
        action: 'return',
        target: { kind: 'node', nodeId: values.nodeId },
        ...withComment,
      });
    }
  };

  const stepName = (nodeId: string) => {
    const name = props.steps.get(nodeId);
    return name ? localized(name, locale) : nodeId;
  };
  // The dialog's form is unmounted when it closes (`destroyOnHidden`), so each opens empty.
  const openDialog = (next: Dialog) => setDialog(next);

  return (
    <>
      <Space wrap>
        <Button onClick={() => openDialog('transfer')}>{t('inbox.transfer')}</Button>
        <Button onClick={() => openDialog('add-signer')}>{t('inbox.addSigner')}</Button>
        <Button disabled={earlier.length === 0} onClick={() => openDialog('return-step')}>
          {t('inbox.returnToStep')}
        </Button>
        {open.offered && open.claimedBy === user.id && (
          <Popconfirm
            title={t('inbox.releaseConfirm')}
            okText={t('inbox.release')}
            cancelText={t('inbox.cancel')}
            onConfirm={() => act('release', { action: 'release' })}
          >
            <Button loading={busy === 'release'}>{t('inbox.release')}</Button>
          </Popconfirm>
        )}
      </Space>
      <Modal
        open={dialog !== undefined}
        title={dialog ? t(TITLES[dialog]) : undefined}
        okText={t('inbox.confirm')}
        cancelText={t('inbox.cancel')}
        confirmLoading={busy !== undefined}
        onOk={confirm}
        onCancel={() => setDialog(undefined)}
        destroyOnHidden
      >
        <Form form={form} name="task-action" layout="vertical" preserve={false}>
          {dialog === 'transfer' && (
            <Form.Item
              name="to"
              label={t('inbox.transferTo')}
              rules={[{ required: true, message: t('inbox.pickUser') }]}
            >
              <UserPicker />
            </Form.Item>
          )}
          {dialog === 'add-signer' && (
            <>
              <Form.Item
                name="signer"
                label={t('inbox.signer')}
                rules={[{ required: true, message: t('inbox.pickUser') }]}
              >
                <UserPicker />
              </Form.Item>
              <Form.Item name="position" label={t('inbox.signerPosition')} initialValue="before">
                <Radio.Group
                  options={[
                    { value: 'before', label: t('inbox.signerBefore') },
                    { value: 'after', label: t('inbox.signerAfter') },
                  ]}
                />
              </Form.Item>
            </>
          )}
          {dialog === 'return-step' && (
            <Form.Item
              name="nodeId"
              label={t('inbox.returnStep')}
              rules={[{ required: true, message: t('inbox.pickStep') }]}
            >
              <Select
                options={earlier.map((nodeId) => ({ value: nodeId, label: stepName(nodeId) }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="comment"
            label={t('inbox.comment')}
            rules={
              dialog === 'return-step'
                ? [{ required: true, whitespace: true, message: t('inbox.commentRequired') }]
                : []
            }
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={10_000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

const TITLES = {
  transfer: 'inbox.transferTitle',
  'add-signer': 'inbox.addSignerTitle',
  'return-step': 'inbox.returnToStepTitle',
} as const;
