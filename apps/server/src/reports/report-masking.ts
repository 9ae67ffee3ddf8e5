import { type MaskRule, maskValue } from '@joinery/access';
import type { PreparedReport } from '@joinery/reports';
import { JoineryError } from '@joinery/shared';
import { personalDataOf } from '../access/personal-data.ts';
import type { PublishedForm } from '../metadata/form-registry.ts';

/** A dimension grouping by personal data: the field (as the report names it) and its mask. */
interface PersonalDimension {
  readonly path: string;
  readonly rule: MaskRule;
}

/**
 * The dimensions of `report` that group by personal data (a mobile, an ID…), by key. Their
 * values come back masked for every viewer — even one whose role may unmask the field, since a
 * report leaves no audit entry; a clear value is revealed per record, audited, on its page.
 */
export function personalDimensions(
  report: PreparedReport,
  forms: readonly PublishedForm[],
): ReadonlyMap<string, PersonalDimension> {
  const found = new Map<string, PersonalDimension>();
  for (const dimension of report.dimensions) {
    for (const field of dimension.fields) {
      const form = forms.find((candidate) => candidate.formKey === field.dataset);
      const definition = form?.definition.fields.find(
        (candidate) => candidate.key === field.name && !candidate.deleted,
      );
      const data = personalDataOf(definition);
      if (data?.kind === 'value') found.set(dimension.key, { path: field.path, rule: data.rule });
    }
  }
  return found;
}

/** The result rows with the values of `personal` dimensions masked. */
export function maskDimensions(
  rows: readonly Record<string, unknown>[],
  personal: ReadonlyMap<string, PersonalDimension>,
): Record<string, unknown>[] {
  if (personal.size === 0) return [...rows];
  return rows.map((row) => {
    const masked = { ...row };
    for (const [key, { rule }] of personal) masked[key] = maskValue(row[key], rule);
    return masked;
  });
}

/**
 * Refuses a drill-down from a point whose value of a personal-data dimension is what the result
 * showed — masked, so it names no record (`JNY_REPORT_DRILL_MASKED`, naming the field).
 */
export function assertDrillUnmasked(
  dimensions: Readonly<Record<string, unknown>>,
  personal: ReadonlyMap<string, PersonalDimension>,
): void {
  for (const key of Object.keys(dimensions)) {
    const dimension = personal.get(key);
    if (dimension) throw new JoineryError('JNY_REPORT_DRILL_MASKED', { field: dimension.path });
  }
}
