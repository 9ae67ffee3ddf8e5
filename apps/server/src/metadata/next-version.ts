import type { FieldDefinition, FormDefinition } from '@joinery/forms';

/**
 * The definition to publish: the draft, with every field of the live version that the draft
 * left out carried over as `deleted` (its column and data stay until an explicit purge), and
 * the next version number.
 */
export function mergeWithLive(draft: FormDefinition, live: FormDefinition | null): FormDefinition {
  const version = (live?.version ?? 0) + 1;
  if (!live) return { ...draft, version };
  return { ...draft, version, fields: carryOver(draft.fields, live.fields) };
}

function carryOver(
  next: readonly FieldDefinition[],
  live: readonly FieldDefinition[],
): FieldDefinition[] {
  const byId = new Map(next.map((field) => [field.id, field]));
  const merged: FieldDefinition[] = next.map((field) => {
    const previous = live.find((candidate) => candidate.id === field.id);
    return previous?.fields && field.fields
      ? { ...field, fields: carryOver(field.fields, previous.fields) }
      : field;
  });
  for (const field of live) {
    if (!byId.has(field.id)) merged.push({ ...field, deleted: true });
  }
  return merged;
}
