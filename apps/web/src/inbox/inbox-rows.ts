import type { InboxItem, LocalizedText } from '@joinery/shared';
import { type RuntimeField, runtimeFields } from '../runtime/field-model.ts';
import { recordTitle } from '../runtime/form/pickers.tsx';
import { loadPublishedForm } from '../runtime/published-forms.ts';
import { loadStepNames } from '../workflow/step-names.ts';

/** An inbox line with what it is about, in words: the form, the record's title, the step. */
export interface InboxRow {
  readonly item: InboxItem;
  readonly formLabel: LocalizedText | undefined;
  /** The record's title per language; undefined when the user may read none of the record. */
  readonly recordTitle: LocalizedText | undefined;
  readonly stepName: LocalizedText | undefined;
}

interface FormContext {
  readonly label: LocalizedText | undefined;
  readonly fields: readonly RuntimeField[];
  readonly steps: ReadonlyMap<string, LocalizedText>;
}

/**
 * Describes a page of inbox items: the title comes from the record summary the server put on
 * each line (only fields the user may read and the step shows, personal data already masked),
 * so no records request is made; per form on the page, only its definition and step names
 * (both cached). A line whose record the user may read nothing of shows the form and a short id.
 */
export async function describeInbox(items: readonly InboxItem[]): Promise<InboxRow[]> {
  const forms = new Map<string, { app: string; form: string }>();
  for (const item of items) forms.set(`${item.app}/${item.form}`, item);
  const contexts = new Map<string, FormContext>();
  await Promise.all(
    [...forms].map(async ([key, { app, form }]) => {
      contexts.set(key, await formContext(app, form));
    }),
  );
  return items.map((item) => {
    const context = contexts.get(`${item.app}/${item.form}`);
    return {
      item,
      formLabel: context?.label,
      recordTitle: context ? titleOf(item, context.fields) : undefined,
      stepName: item.nodeId === null ? undefined : context?.steps.get(item.nodeId),
    };
  });
}

function titleOf(item: InboxItem, fields: readonly RuntimeField[]): LocalizedText | undefined {
  const values = item.record;
  if (values === null) return undefined;
  // Only the fields the line carries: a title never names a field the user may not read.
  const readable = fields.filter((field) => field.key in values);
  if (readable.length === 0) return undefined;
  const record = { id: item.recordId, values };
  return {
    'zh-CN': recordTitle(record, readable, 'zh-CN'),
    en: recordTitle(record, readable, 'en'),
  };
}

async function formContext(app: string, form: string): Promise<FormContext> {
  const [published, steps] = await Promise.all([
    loadPublishedForm(app, form).catch(() => undefined),
    loadStepNames(app, form).catch(() => new Map<string, LocalizedText>()),
  ]);
  return {
    label: published?.definition.label,
    fields: published ? runtimeFields(published.definition) : [],
    steps,
  };
}
