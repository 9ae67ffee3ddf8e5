import { JoineryError, type Locale, type LocalizedText } from '@joinery/shared';

/**
 * One problem with one value of a record. `field` is the field key, or a path into a subform
 * (`guarantors/0/name`); `rule` a stable code (`required`, `max`, `format`…); `message` names the
 * field's label, the rule and the offending value in both languages.
 */
export interface RecordProblem {
  readonly field: string;
  readonly rule: string;
  readonly value: unknown;
  readonly message: LocalizedText;
}

/** The outcome of validating a record. */
export type RecordResult =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly problems: readonly RecordProblem[] };

/** Turns problems into the catalogue error `JNY_RECORD_INVALID` (400), in `locale`. */
export function recordInvalidError(
  problems: readonly RecordProblem[],
  locale: Locale,
): JoineryError {
  return new JoineryError(
    'JNY_RECORD_INVALID',
    { count: problems.length },
    problems.map((problem) => ({ field: problem.field, reason: problem.message[locale] })),
  );
}
