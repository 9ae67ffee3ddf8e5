import { formSqlSchema } from '@joinery/forms';
import type { Dataset, DatasetCatalog, DatasetField, DatasetRelation } from '@joinery/reports';
import { personalDataOf } from '../access/personal-data.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';

/**
 * Reference columns (uuid) the rule engine's schema leaves out, exposed to reports as `text` so
 * row scopes (`owner = $user.id`) and groupings by owner or related record work. A uuid column
 * compared with a text parameter is inferred as uuid by Postgres, so `==` works; membership
 * against a text array does not — see `reportScope`.
 */
const REFERENCE_SYSTEM_FIELDS = ['id', 'owner', 'created_by', 'updated_by'] as const;

/**
 * The report engine's dataset catalogue of an app: one dataset per published form, named by the
 * form key, from the same `formSqlSchema` the rule engine filters with (so a report reads exactly
 * the fields a list filter may), plus the reference columns as text and one relation per
 * single relation field. Table names are unqualified: reports run with `search_path` set to the
 * app's schema (see `runReportQuery`). Encrypted fields are named (a report using one is refused
 * as such), and so are fields holding personal data (masked for viewers who may not unmask them).
 */
export function reportCatalog(forms: readonly PublishedForm[]): DatasetCatalog {
  const definitions = forms.map((form) => form.definition);
  const catalog: Record<string, Dataset> = {};
  for (const form of forms) {
    const schema = formSqlSchema(form.definition, { forms: definitions });
    const fields: Record<string, DatasetField> = { ...schema.fields };
    for (const key of REFERENCE_SYSTEM_FIELDS) fields[key] = { column: key, type: 'text' };
    const relations: Record<string, DatasetRelation> = {};
    for (const [key, relation] of Object.entries(schema.relations ?? {})) {
      const target = forms.find((candidate) => candidate.table.table === relation.table);
      if (!target) continue;
      fields[key] = { column: relation.foreignKey, type: 'text' };
      relations[key] = {
        dataset: target.formKey,
        foreignKey: relation.foreignKey,
        targetKey: relation.targetKey,
        field: key,
      };
    }
    const live = form.definition.fields.filter((field) => !field.deleted);
    catalog[form.formKey] = {
      table: schema.table,
      fields,
      relations,
      encrypted: live.filter((field) => field.sensitive).map((field) => field.key),
      personal: live.filter((field) => personalDataOf(field)).map((field) => field.key),
    };
  }
  return catalog;
}
