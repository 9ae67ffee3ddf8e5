import type { OpenTask, TaskActionName, TaskActionRequest, TaskView } from '@joinery/shared';
import { App as AntApp, Button, Form, Input, Space } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/api.ts';
import { isApiError } from '../api/api-error.ts';
import { actOnTask } from '../api/workflow-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { localized, type RuntimeField } from '../runtime/field-model.ts';
import { fieldInput, valuePropName } from '../runtime/form/field-input.tsx';
import { FileUpload, type StoredFile } from '../runtime/form/file-upload.tsx';
import { type FormValues, toFormValues, toWireValues } from '../runtime/form/form-values.ts';
import type { PublishedForm } from '../runtime/published-forms.ts';
import { useSignedInUser } from '../session/use-session.ts';
import { newIdempotencyKey } from '../workflow/idempotency-key.ts';
import type { StepNames } from '../workflow/step-names.ts';
import { INBOX_PATH } from './inbox-paths.ts';
import { TaskMoreActions } from './task-more-actions.tsx';

type Decision = Extract<TaskActionName, 'approve' | 'reject' | 'return'>;

const DECIDED = {
  approve: 'inbox.decidedApprove',
  reject: 'inbox.decidedReject',
  return: 'inbox.decidedReturn',
} as const;

/**
 * The reviewer's decision on an open task: the fields the step lets them edit, a comment, files,
 * and approve / reject / return to the submitter (reject and return need a comment), or just
 * the comment and files on the timeline without deciding (评论); then the
 * other actions (transfer, add a signer, return to a step, release). An offered task is claimed
 * first. Every click sends a fresh idempotency key, so a lost answer retried never acts twice.
 */
export function TaskDecision(props: {
  readonly task: TaskView;
  readonly open: OpenTask;
  readonly fields: readonly RuntimeField[];
  readonly published: PublishedForm;
  readonly steps: StepNames;
  /** Called after a comment went on the timeline (the task stays open). */
  readonly onCommented?: () => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const user = useSignedInUser();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState<TaskActionName | undefined>();
  const [claimed, setClaimed] = useState(props.open.claimedBy === user.id);
  const { task, published } = props;
  const editable = useMemo(
    () => props.fields.filter((field) => field.input && task.editableFields.includes(field.key)),
    [props.fields, task.editableFields],
  );
  const attachmentField = props.fields.find((field) => field.type === 'attachment');
  const place = { app: published.app, form: published.definition.key, task: task.id };
  const mustClaim = props.open.offered && !claimed;

  const send = async (action: TaskActionName, request: TaskActionRequest) => {
    setBusy(action);
    try {
      await actOnTask(api, task.id, request, newIdempotencyKey());
      return true;
    } catch (error) {
      if (isApiError(error) && error.fields.length > 0) {
        form.setFields(
          error.fields.map((problem) => ({
            name: problem.field.replace(/^\/(body\/)?(patch\/)?/, ''),
            errors: [problem.reason],
          })),
        );
      }
      message.error(isApiError(error) ? error.message : t('errors.title'));
      return false;
    } finally {
      setBusy(undefined);
    }
  };

  const decide = async (decision: Decision) => {
    const values = form.getFieldsValue(true) as FormValues;
    const comment = typeof values.comment === 'string' ? values.comment.trim() : '';
    if (decision !== 'approve' && comment === '') {
      form.setFields([{ name: 'comment', errors: [t('inbox.commentRequired')] }]);
      return;
    }
    const files = Array.isArray(values.attachments) ? (values.attachments as StoredFile[]) : [];
    const request: TaskActionRequest = {
      action: decision,
      ...(comment === '' ? {} : { comment }),
      ...(files.length === 0 ? {} : { attachments: files.map((file) => file.id) }),
      ...(decision === 'approve' && editable.length > 0
        ? { patch: toWireValues(editable, values) }
        : {}),
      // Returned for more documents (退回补件): back to the submitter, who resubmits.
      ...(decision === 'return' ? { target: { kind: 'submitter' as const } } : {}),
    };
    if (await send(decision, request)) {
      message.success(t(DECIDED[decision]));
      navigate(INBOX_PATH);
    }
  };

  /** A remark with files on the timeline, without deciding (评论). */
  const commentOnly = async () => {
    const values = form.getFieldsValue(true) as FormValues;
    const comment = typeof values.comment === 'string' ? values.comment.trim() : '';
    if (comment === '') {
      form.setFields([{ name: 'comment', errors: [t('inbox.commentNeeded')] }]);
      return;
    }
    const files = Array.isArray(values.attachments) ? (values.attachments as StoredFile[]) : [];
    const request: TaskActionRequest = {
      action: 'comment',
      comment,
      ...(files.length === 0 ? {} : { attachments: files.map((file) => file.id) }),
    };
    if (await send('comment', request)) {
      message.success(t('inbox.commented'));
      form.resetFields(['comment', 'attachments']);
      props.onCommented?.();
    }
  };

  const claim = async () => {
    if (await send('claim', { action: 'claim' })) {
      message.success(t('inbox.claimed'));
      setClaimed(true);
    }
  };

  if (mustClaim) {
    return (
      <Button type="primary" loading={busy === 'claim'} onClick={claim}>
        {t('inbox.claim')}
      </Button>
    );
  }
  return (
    <>
      <Form
        form={form}
        layout="vertical"
        initialValues={toFormValues(editable, task.record)}
        disabled={busy !== undefined}
      >
        {editable.map((field) => (
          <Form.Item
            key={field.key}
            name={field.key}
            label={localized(field.label, locale)}
            valuePropName={valuePropName(field)}
          >
            {fieldInput(field, place, false)}
          </Form.Item>
        ))}
        <Form.Item name="comment" label={t('inbox.comment')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={10_000} />
        </Form.Item>
        {attachmentField && (
          <Form.Item name="attachments" label={t('inbox.attachments')}>
            <FileUpload
              app={place.app}
              form={place.form}
              task={place.task}
              field={attachmentField}
            />
          </Form.Item>
        )}
        <Space wrap>
          <Button type="primary" loading={busy === 'approve'} onClick={() => decide('approve')}>
            {t('inbox.approve')}
          </Button>
          <Button danger loading={busy === 'reject'} onClick={() => decide('reject')}>
            {t('inbox.reject')}
          </Button>
          <Button loading={busy === 'return'} onClick={() => decide('return')}>
            {t('inbox.return')}
          </Button>
          <Button loading={busy === 'comment'} onClick={commentOnly}>
            {t('inbox.commentOnly')}
          </Button>
        </Space>
      </Form>
      <div className="jny-task-more">
        <TaskMoreActions
          task={task}
          open={{ ...props.open, claimedBy: claimed ? user.id : props.open.claimedBy }}
          steps={props.steps}
        />
      </div>
    </>
  );
}
