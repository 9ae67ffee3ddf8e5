import { JoineryError, type Locale } from '@joinery/shared';
import type { PublishCheck, PublishPlan } from './publish-plan.ts';

/**
 * Throws `JNY_FORM_PUBLISH_REFUSED` (409) when the plan has refusals, one field problem per
 * refusal in `locale`; returns the plan otherwise, so the server can run its checks and steps.
 */
export function assertPublishable(plan: PublishPlan, form: string, locale: Locale): PublishPlan {
  const [first] = plan.refusals;
  if (!first) return plan;
  throw new JoineryError(
    'JNY_FORM_PUBLISH_REFUSED',
    { form, reason: first.message.en },
    plan.refusals.map((refusal) => ({
      field: refusal.fieldId === undefined ? '' : `fields/${refusal.fieldId}`,
      reason: refusal.message[locale],
    })),
  );
}

/** A row a check query returned: a record that would not survive the change. */
export interface CheckRow {
  readonly id: string;
  readonly value: string | null;
}

/**
 * The error for a check that returned rows: `JNY_FORM_TYPE_CHANGE_ROWS_UNCONVERTIBLE` (409)
 * naming the field, the target type and each record (`records/<id>`) with its value.
 */
export function unconvertibleRowsError(
  check: PublishCheck,
  rows: readonly CheckRow[],
  locale: Locale,
): JoineryError {
  const duplicate = check.kind === 'duplicates';
  return new JoineryError(
    'JNY_FORM_TYPE_CHANGE_ROWS_UNCONVERTIBLE',
    { field: check.field, count: rows.length, to: duplicate ? 'unique' : check.to },
    rows.map((row) => {
      const value = JSON.stringify((row.value ?? '').slice(0, 100));
      return {
        field: `records/${row.id}`,
        reason:
          locale === 'zh-CN'
            ? duplicate
              ? `值 ${value} 重复`
              : `值 ${value} 无法转换`
            : duplicate
              ? `the value ${value} is duplicated`
              : `the value ${value} does not convert`,
      };
    }),
  );
}
