import type { FormDefinition } from '@joinery/forms';
import type { LocalizedText } from '@joinery/shared';
import { api } from '../../api/api.ts';
import { listApps } from '../../api/records-api.ts';
import { loadPublishedForm } from '../published-forms.ts';

/** A form of the same app with a relation field pointing at the record's form. */
export interface ReverseRelation {
  readonly form: string;
  readonly formLabel: LocalizedText;
  /** The relation field (in `form`) that holds the record's id. */
  readonly field: string;
  readonly fieldLabel: LocalizedText;
  readonly definition: FormDefinition;
}

/**
 * The reverse relations of `app`/`form`: for a customer, the applications, contracts and
 * follow-ups that point at it — found in the published definitions, nothing hard-wired. Only
 * single relations (a column the list API can filter on) are listed.
 */
export async function reverseRelations(app: string, form: string): Promise<ReverseRelation[]> {
  const apps = await listApps(api);
  const forms =
    apps.find((a) => a.key === app)?.forms.filter((f) => f.publishedVersion !== null) ?? [];
  const loaded = await Promise.all(
    forms.map((f) =>
      loadPublishedForm(app, f.key).then(
        (p) => ({ key: f.key, p }),
        () => undefined,
      ),
    ),
  );
  const relations: ReverseRelation[] = [];
  for (const entry of loaded) {
    if (!entry) continue;
    for (const field of entry.p.definition.fields) {
      if (field.deleted || field.type !== 'relation') continue;
      if (field.config?.form !== form || field.config?.multiple === true) continue;
      relations.push({
        form: entry.key,
        formLabel: entry.p.definition.label,
        field: field.key,
        fieldLabel: field.label,
        definition: entry.p.definition,
      });
    }
  }
  return relations;
}
