import type { TimelineEntry } from '@joinery/shared';
import { Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api.ts';
import { instanceTimeline } from '../api/workflow-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { localized } from '../runtime/field-model.ts';
import { formatDateTime } from '../runtime/format-value.ts';
import { PageState } from '../runtime/page-state.tsx';
import { useLoaded } from '../runtime/published-forms.ts';
import { loadStepNames, type StepNames } from './step-names.ts';
import { type TimelineAction, timelineActionKey } from './timeline-actions.ts';

/** Who did what and when in one workflow instance, newest first, with comments and files. */
export function InstanceTimeline(props: {
  readonly app: string;
  readonly form: string;
  readonly instanceId: string;
}) {
  const loaded = useLoaded(async () => {
    const [entries, steps] = await Promise.all([
      instanceTimeline(api, props.instanceId),
      loadStepNames(props.app, props.form).catch((): StepNames => new Map()),
    ]);
    return { entries, steps };
  }, [props.app, props.form, props.instanceId]);
  return (
    <PageState state={loaded}>
      {({ entries, steps }) => (
        <Timeline
          className="jny-timeline"
          items={[...entries].reverse().map((entry, index) => ({
            key: `${entry.at}-${index}`,
            color: colorOf(entry.action),
            children: <EntryText entry={entry} steps={steps} />,
          }))}
        />
      )}
    </PageState>
  );
}

function colorOf(action: string): string {
  if (action === 'approved' || action === 'ended') return 'green';
  if (action === 'rejected' || action === 'failed' || action === 'cancelled') return 'red';
  if (action === 'returned' || action === 'withdrawn') return 'orange';
  return 'blue';
}

function EntryText(props: { readonly entry: TimelineEntry; readonly steps: StepNames }) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { entry } = props;
  const key: TimelineAction | undefined = timelineActionKey(entry.action);
  const step = entry.nodeId === null ? undefined : props.steps.get(entry.nodeId);
  return (
    <div className="jny-timeline__entry" data-action={entry.action}>
      <Typography.Text strong>
        {step ? `${localized(step, locale)} · ` : ''}
        {key ? t(`timeline.${key}`) : entry.action}
      </Typography.Text>{' '}
      <Typography.Text type="secondary">
        {t('timeline.by', {
          name: entry.actorName ?? t('timeline.system'),
          time: formatDateTime(entry.at),
        })}
      </Typography.Text>
      {entry.comment && (
        <Typography.Paragraph className="jny-timeline__comment">
          {entry.comment}
        </Typography.Paragraph>
      )}
      {entry.attachments.length > 0 && (
        <Space size="small" wrap>
          {entry.attachments.map((file, index) => (
            <a key={file} href={`/api/files/${encodeURIComponent(file)}`}>
              {t('timeline.attachment', { n: index + 1 })}
            </a>
          ))}
        </Space>
      )}
    </div>
  );
}
