import type { RuntimeField } from '../field-model.ts';

/** CSV column → field key (or null: not imported). */
export type ColumnMapping = Readonly<Record<string, string | null>>;

/** Guesses the mapping: a column named like a field's label (either language) or key. */
export function guessMapping(
  headers: readonly string[],
  fields: readonly RuntimeField[],
): ColumnMapping {
  const mapping: Record<string, string | null> = {};
  for (const header of headers) {
    const name = header.trim().toLowerCase();
    const field = fields.find(
      (f) =>
        f.input &&
        f.type !== 'subform' &&
        [f.key, f.label['zh-CN'], f.label.en].some((candidate) => candidate.toLowerCase() === name),
    );
    mapping[header] = field?.key ?? null;
  }
  return mapping;
}
