import { ArrowLeftOutlined } from '@ant-design/icons';
import type { InstanceView, TaskView } from '@joinery/shared';
import { Descriptions, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/api.ts';
import { getInstance, getTask } from '../api/workflow-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { recordPath } from '../runtime/app-navigation.ts';
import { localized, runtimeFields } from '../runtime/field-model.ts';
import { formatValue } from '../runtime/format-value.ts';
import { PageState } from '../runtime/page-state.tsx';
import { loadPublishedForm, type PublishedForm, useLoaded } from '../runtime/published-forms.ts';
import { useDirectory } from '../runtime/use-directory.ts';
import { InstanceActions } from '../workflow/instance-actions.tsx';
import { InstanceTimeline } from '../workflow/instance-timeline.tsx';
import { loadStepNames, type StepNames } from '../workflow/step-names.ts';
import { INBOX_PATH } from './inbox-paths.ts';
import { OnBehalfOf } from './on-behalf-of.tsx';
import { TaskDecision } from './task-decision.tsx';

/** `/inbox/tasks/:id`: one task — the fields its step shows, the decision, the timeline. */
export default function TaskPage() {
  const { id = '' } = useParams();
  const loaded = useLoaded(async () => {
    const task = await getTask(api, id);
    const instance = await getInstance(api, task.instanceId);
    const [published, steps] = await Promise.all([
      loadPublishedForm(instance.app, instance.form),
      loadStepNames(instance.app, instance.form).catch((): StepNames => new Map()),
    ]);
    return { task, instance, published, steps };
  }, [id]);
  return <PageState state={loaded}>{(value) => <TaskScreen {...value} />}</PageState>;
}

function TaskScreen(props: {
  readonly task: TaskView;
  readonly instance: InstanceView;
  readonly published: PublishedForm;
  readonly steps: StepNames;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const navigate = useNavigate();
  const { task, instance, published } = props;
  const fields = useMemo(() => runtimeFields(published.definition), [published.definition]);
  const nameOf = useDirectory(fields);
  const shown = fields.filter((field) => task.visibleFields.includes(field.key));
  const step = props.steps.get(task.nodeId);
  const open = instance.openTasks.find((candidate) => candidate.id === task.id);
  // Bumped after a comment, so the timeline shows it.
  const [comments, setComments] = useState(0);

  return (
    <article className="jny-record" aria-labelledby="jny-task-title">
      <header className="jny-page-header">
        <Link to={INBOX_PATH} aria-label={t('inbox.back')}>
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title level={2} id="jny-task-title" className="jny-page-header__title">
          {localized(published.definition.label, locale)}
        </Typography.Title>
        <Tag color="blue">{step ? localized(step, locale) : task.nodeId}</Tag>
        <OnBehalfOf task={task} />
        <span className="jny-page-header__spacer" />
        <Link to={recordPath(instance.app, instance.form, instance.recordId)}>
          {t('inbox.openRecord')}
        </Link>
      </header>
      <div className="jny-record__columns">
        <div className="jny-record__main jny-stack">
          <section className="jny-panel" aria-label={t('inbox.stepFields')}>
            <Descriptions
              column={{ xs: 1, md: 2 }}
              size="small"
              items={shown.map((field) => ({
                key: field.key,
                label: localized(field.label, locale),
                children: formatValue(field, task.record[field.key], locale, nameOf) || '—',
              }))}
            />
          </section>
          <section className="jny-panel" aria-labelledby="jny-decision-title">
            <Typography.Title level={3} className="jny-panel__title" id="jny-decision-title">
              {t('inbox.decision')}
            </Typography.Title>
            {open?.kind === 'resubmit' ? (
              <InstanceActions
                instanceId={instance.instanceId}
                onChanged={() => navigate(INBOX_PATH)}
              />
            ) : open ? (
              <TaskDecision
                task={task}
                open={open}
                fields={fields}
                published={published}
                steps={props.steps}
                onCommented={() => setComments((n) => n + 1)}
              />
            ) : (
              <Typography.Text type="secondary">{t('inbox.closed')}</Typography.Text>
            )}
          </section>
        </div>
        <aside className="jny-record__side">
          <section className="jny-panel" aria-labelledby="jny-workflow-title">
            <Typography.Title level={3} className="jny-panel__title" id="jny-workflow-title">
              {t('record.workflow')}
            </Typography.Title>
            <InstanceTimeline
              key={comments}
              app={instance.app}
              form={instance.form}
              instanceId={instance.instanceId}
            />
          </section>
        </aside>
      </div>
    </article>
  );
}
