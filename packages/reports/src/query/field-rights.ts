import { JoineryError } from '@joinery/shared';
import type { ResolvedField } from '../definition/prepared-report.ts';
import type { DatasetAccess, ReportAccess } from '../report-access.ts';

/** The viewer's rights on one dataset, or null when they have none (fail-closed). */
export function accessTo(access: ReportAccess, dataset: string): DatasetAccess | null {
  return Object.hasOwn(access, dataset) ? (access[dataset] ?? null) : null;
}

/** Refuses a dataset the viewer may not read at all (`JNY_REPORT_DATASET_FORBIDDEN`). */
export function assertDatasetReadable(access: ReportAccess, dataset: string): DatasetAccess {
  const rights = accessTo(access, dataset);
  if (!rights) throw new JoineryError('JNY_REPORT_DATASET_FORBIDDEN', { dataset });
  return rights;
}

/**
 * Refuses a field the viewer may not read (`JNY_REPORT_FIELD_UNREADABLE`, naming it as the
 * report wrote it) or sees only masked (`JNY_FIELD_MASKED_QUERY`): such a field can be neither
 * grouped, aggregated nor filtered on, since each of these reveals its values. A related field
 * also needs the reference field that leads to it, when the relation names one.
 */
export function assertFieldReadable(access: ReportAccess, field: ResolvedField): void {
  const readable =
    canRead(access, field.dataset, field.name) &&
    (!field.through || canRead(access, field.through.dataset, field.through.field));
  if (!readable) throw new JoineryError('JNY_REPORT_FIELD_UNREADABLE', { field: field.path });
  if (accessTo(access, field.dataset)?.maskedColumns?.has(field.name)) {
    throw new JoineryError('JNY_FIELD_MASKED_QUERY', { field: field.path });
  }
}

function canRead(access: ReportAccess, dataset: string, field: string): boolean {
  const rights = accessTo(access, dataset);
  return rights !== null && (rights.readableColumns === 'all' || rights.readableColumns.has(field));
}
