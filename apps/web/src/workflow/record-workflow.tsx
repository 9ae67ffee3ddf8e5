import { Empty } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api.ts';
import { recordInstances } from '../api/workflow-api.ts';
import { formatDateTime } from '../runtime/format-value.ts';
import { PageState } from '../runtime/page-state.tsx';
import { useLoaded } from '../runtime/published-forms.ts';
import { InstanceActions } from './instance-actions.tsx';
import { InstanceTimeline } from './instance-timeline.tsx';
import { OutcomeTag } from './outcome-tag.tsx';

/**
 * The record page's workflow panel: each approval of the record the user may see, its timeline,
 * and for the submitter of an unfinished one, withdraw and resubmit.
 */
export function RecordWorkflow(props: {
  readonly app: string;
  readonly form: string;
  readonly recordId: string;
}) {
  const { t } = useTranslation();
  const [generation, setGeneration] = useState(0);
  const instances = useLoaded(
    () => recordInstances(api, props.app, props.form, props.recordId),
    [props.app, props.form, props.recordId, generation],
  );
  return (
    <PageState state={instances}>
      {(items) =>
        items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('record.noWorkflow')} />
        ) : (
          items.map((instance) => (
            // Keyed by the reload too: the timeline is fetched again after the submitter acts.
            <div key={`${instance.instanceId}/${generation}`} className="jny-record-workflow">
              <p className="jny-record-workflow__status">
                <OutcomeTag outcome={instance.outcome} status={instance.status} />{' '}
                {t('record.workflowStarted', { time: formatDateTime(instance.startedAt) })}
              </p>
              {instance.finishedAt === null && (
                <InstanceActions
                  instanceId={instance.instanceId}
                  onChanged={() => setGeneration((n) => n + 1)}
                />
              )}
              <InstanceTimeline
                app={props.app}
                form={props.form}
                instanceId={instance.instanceId}
              />
            </div>
          ))
        )
      }
    </PageState>
  );
}
