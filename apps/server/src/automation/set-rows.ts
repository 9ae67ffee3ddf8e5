import type { SetRowsAction } from '@joinery/rules';
import { JoineryError } from '@joinery/shared';
import type { PublishedForm } from '../metadata/form-registry.ts';
import { RecordWriter } from '../records/record-writer.ts';
import type { ActionScope, Subject } from './automation-actions.ts';
import { evaluate, evaluateValues } from './evaluate-logic.ts';
import { lockRecord, recordData } from './read-record.ts';

/** What `set_rows` wrote: the record and how many rows it now has; or why it did nothing. */
export type SetRowsResult =
  | {
      readonly status: 'done';
      readonly form: string;
      readonly recordId: string;
      readonly rows: number;
    }
  | { readonly status: 'skipped'; readonly reason: string };

type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rowsInvalid(subform: string, value: unknown): JoineryError {
  return new JoineryError('JNY_AUTOMATION_ROWS_INVALID', {
    subform,
    value: JSON.stringify(value ?? null).slice(0, 200),
  });
}

/** The record whose subform is written, and what the expressions read. */
async function target(
  scope: ActionScope,
  subject: Subject,
  relation: string | undefined,
): Promise<{ form: PublishedForm; id: string; data: unknown } | null> {
  if (relation === undefined) return { form: subject.form, id: subject.id, data: scope.data };
  const field = subject.form.fields.get(relation);
  const formKey = String(field?.definition.config?.form ?? '');
  if (field?.definition.type !== 'relation' || formKey === '') {
    throw new JoineryError('JNY_AUTOMATION_RELATION_INVALID', {
      form: subject.form.formKey,
      relation,
    });
  }
  const source = await lockRecord(scope.trx, subject.form, subject.id);
  const id = source.values[relation];
  if (typeof id !== 'string') return null;
  const form = await scope.forms.get(scope.stored.appKey, formKey, scope.trx);
  const related = recordData(await lockRecord(scope.trx, form, id));
  return { form, id, data: { ...(scope.data as Row), $related: related } };
}

/**
 * The `set_rows` action: the subform's rows become one row per element of the list `rows`
 * evaluates to (mapped through `values` when given, each element read with the record as
 * `$parent`). The rows already there are replaced — the list is the whole subform. The write goes
 * through `RecordWriter`, so the subform's validation (row limits, required fields, money) and
 * the record's rollups apply as for the API.
 */
export async function setRows(
  scope: ActionScope,
  subject: Subject,
  action: SetRowsAction,
): Promise<SetRowsResult> {
  const found = await target(scope, subject, action.relation);
  if (!found) return { status: 'skipped', reason: 'no related record' };
  const { form, id, data } = found;
  if (form.fields.get(action.subform)?.definition.type !== 'subform') {
    throw new JoineryError('JNY_AUTOMATION_SUBFORM_INVALID', {
      form: form.formKey,
      subform: action.subform,
    });
  }
  const list = evaluate(action.rows, data, scope.logic);
  if (!Array.isArray(list)) throw rowsInvalid(action.subform, list);
  const rows = list.map((element: unknown) => {
    if (!isRow(element)) throw rowsInvalid(action.subform, element);
    return action.values
      ? evaluateValues(action.values, { ...element, $parent: data }, scope.logic)
      : element;
  });
  const before = await lockRecord(scope.trx, form, id);
  const writer = new RecordWriter(scope.trx, scope.forms, form, scope.write);
  await writer.update(id, before.version, { [action.subform]: rows });
  return { status: 'done', form: form.formKey, recordId: id, rows: rows.length };
}
