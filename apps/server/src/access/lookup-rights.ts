import type { MaskRule } from '@joinery/access';
import type { RawBuilder, SqlBool } from 'kysely';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import { attachLookups, type Queryable } from '../records/record-reader.ts';
import type { RecordBody } from '../records/record-values.ts';
import { maskRuleOfType } from './personal-data.ts';
import type { Viewer } from './viewer.ts';
import { scopeSql, viewerScope } from './viewer-scope.ts';

/** What a viewer may see through one lookup field: the rights they hold on the related form. */
export interface LookupRight {
  /**
   * The related rows whose field the viewer may see: none (`false`) unless they may view that
   * form and read the field there; else their view scope there, as SQL or `true` for all rows.
   */
  readonly rows: RawBuilder<SqlBool> | boolean;
  /** How the value is masked: set when it is personal data on the related form. */
  readonly mask: MaskRule | undefined;
  /** True when the viewer may unmask the field on the related form (a clear read, audited). */
  readonly unmask: boolean;
}

/**
 * The viewer's rights on every lookup field of `form`, taken from the related form: a lookup
 * shows a field of another record, so it may show no more than reading that record would.
 */
export async function lookupRights(
  viewer: Viewer,
  form: PublishedForm,
  forms: FormRegistry,
): Promise<ReadonlyMap<string, LookupRight>> {
  const rights = new Map<string, LookupRight>();
  const context = viewer.ruleContext();
  for (const field of form.definition.fields) {
    if (field.deleted || field.type !== 'lookup') continue;
    const relation = form.fields.get(String(field.config?.relation ?? ''))?.definition;
    const targetKey = relation?.config?.form;
    const fieldKey = String(field.config?.field ?? '');
    const none = { rows: false, mask: undefined, unmask: false };
    if (relation?.type !== 'relation' || typeof targetKey !== 'string') {
      rights.set(field.key, none);
      continue;
    }
    const target = await forms.get(form.appKey, targetKey);
    const access = viewer.access(target.appKey, target.formKey);
    const readable = access.actions.has('view') && access.canRead(fieldKey);
    rights.set(
      field.key,
      readable
        ? {
            rows: scopeSql(target, viewerScope(access, 'view', viewer.user), context),
            mask: maskRuleOfType(target.fields.get(fieldKey)?.definition.type),
            unmask: access.canUnmask(fieldKey),
          }
        : none,
    );
  }
  return rights;
}

/**
 * Reads again the lookups `records` hold, under the viewer's `rights` (`lookupRights`): one
 * query per lookup field for the whole page. However the records were read, a lookup then shows
 * no related record the viewer may not read. History entries (no id) are not stored records and
 * have no lookups to read: any there is emptied.
 */
export async function readVisibleLookups(
  db: Queryable,
  forms: FormRegistry,
  form: PublishedForm,
  records: RecordBody[],
  rights: ReadonlyMap<string, LookupRight>,
): Promise<void> {
  const held = [...rights.keys()].filter((key) =>
    records.some((record) => Object.hasOwn(record.values, key)),
  );
  if (held.length === 0) return;
  for (const record of records) {
    if (record.id !== '') continue;
    for (const key of held) if (Object.hasOwn(record.values, key)) record.values[key] = null;
  }
  const stored = records.filter((record) => record.id !== '');
  await attachLookups(
    db,
    forms,
    form,
    stored,
    new Set(held),
    (key) => rights.get(key)?.rows ?? false,
  );
}
