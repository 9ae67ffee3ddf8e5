import type { InboxBox, LocalizedText } from '@joinery/shared';
import { Checkbox, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api.ts';
import { listApps } from '../api/records-api.ts';
import type { InboxQuery } from '../api/workflow-api.ts';
import { useLocale } from '../i18n/use-locale.ts';
import { localized } from '../runtime/field-model.ts';
import { loadPublishedForm, useLoaded } from '../runtime/published-forms.ts';
import { loadMyAccess } from '../session/my-access.ts';
import { useSignedInUser } from '../session/use-session.ts';
import { loadStepNames } from '../workflow/step-names.ts';

/** The inbox's filters, as the URL keeps them (`?form=app/form&step=&overdue=1&q=`). */
export type InboxFilter = InboxQuery;

/** The filter in `params`; a malformed `form` is no filter. */
export function filterOf(params: URLSearchParams): InboxFilter {
  const [app, form] = (params.get('form') ?? '').split('/');
  const nodeId = params.get('step') ?? '';
  const q = params.get('q')?.trim() ?? '';
  return {
    ...(app && form ? { app, form } : {}),
    ...(app && form && nodeId ? { nodeId } : {}),
    ...(params.get('overdue') === '1' ? { overdue: true } : {}),
    ...(q === '' ? {} : { q }),
  };
}

/** `filter` as URL parameters (without the tab and page). */
export function filterParams(filter: InboxFilter): Record<string, string> {
  return {
    ...(filter.app && filter.form ? { form: `${filter.app}/${filter.form}` } : {}),
    ...(filter.nodeId ? { step: filter.nodeId } : {}),
    ...(filter.overdue ? { overdue: '1' } : {}),
    ...(filter.q ? { q: filter.q } : {}),
  };
}

/**
 * The filter bar above the inbox lists: the form (among those the user may view), the step (of
 * the chosen form's workflows; tasks only), overdue only, and a text search in the records. The
 * server filters, so counts and pages follow.
 */
export function InboxFilters(props: {
  readonly box: InboxBox;
  readonly filter: InboxFilter;
  readonly onChange: (filter: InboxFilter) => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const user = useSignedInUser();
  const { filter, onChange } = props;
  const forms = useLoaded(() => viewableForms(user.id), [user.id]);
  const steps = useLoaded(
    async () =>
      filter.app && filter.form ? [...(await loadStepNames(filter.app, filter.form))] : [],
    [filter.app, filter.form],
  );
  const tasks = props.box === 'todo' || props.box === 'done';
  const { nodeId: _step, ...withoutStep } = filter;
  return (
    <Space wrap role="search" aria-label={t('inbox.filters')} style={{ marginBottom: 12 }}>
      <Select
        aria-label={t('inbox.filterForm')}
        placeholder={t('inbox.allForms')}
        allowClear
        style={{ minWidth: 180 }}
        value={filter.app && filter.form ? `${filter.app}/${filter.form}` : undefined}
        options={(forms.status === 'ready' ? forms.value : []).map((option) => ({
          value: option.value,
          label: localized(option.label, locale),
        }))}
        onChange={(value: string | undefined) => {
          const [app, form] = (value ?? '').split('/');
          const { app: _a, form: _f, ...rest } = withoutStep;
          onChange(app && form ? { ...rest, app, form } : rest);
        }}
      />
      {tasks && (
        <Select
          aria-label={t('inbox.filterStep')}
          placeholder={t('inbox.allSteps')}
          allowClear
          disabled={!filter.form}
          style={{ minWidth: 140 }}
          value={filter.nodeId}
          options={(steps.status === 'ready' ? steps.value : []).map(([value, name]) => ({
            value,
            label: localized(name, locale),
          }))}
          onChange={(value: string | undefined) =>
            onChange(value ? { ...filter, nodeId: value } : withoutStep)
          }
        />
      )}
      <Checkbox
        checked={filter.overdue === true}
        onChange={(event) => {
          const { overdue: _o, ...rest } = filter;
          onChange(event.target.checked ? { ...rest, overdue: true } : rest);
        }}
      >
        {t('inbox.overdueOnly')}
      </Checkbox>
      <Input.Search
        aria-label={t('inbox.search')}
        placeholder={t('inbox.searchPlaceholder')}
        allowClear
        maxLength={200}
        defaultValue={filter.q}
        onSearch={(text) => {
          const { q: _q, ...rest } = filter;
          onChange(text.trim() === '' ? rest : { ...rest, q: text.trim() });
        }}
        style={{ width: 220 }}
      />
    </Space>
  );
}

/** The published forms the user may view, labelled, as `app/form` options. */
async function viewableForms(userId: string) {
  const [apps, access] = await Promise.all([listApps(api), loadMyAccess(userId)]);
  const found = await Promise.all(
    apps.flatMap((app) =>
      app.forms
        .filter(
          (form) =>
            form.publishedVersion !== null &&
            access.apps[app.key]?.[form.key]?.actions.includes('view'),
        )
        .map((form) =>
          loadPublishedForm(app.key, form.key).then(
            (published): { value: string; label: LocalizedText } => ({
              value: `${app.key}/${form.key}`,
              label: published.definition.label,
            }),
            () => undefined,
          ),
        ),
    ),
  );
  return found.filter((option) => option !== undefined);
}
