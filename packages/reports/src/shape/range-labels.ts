/**
 * The labels of the n + 1 ranges that n ascending boundaries make, by `width_bucket` index:
 * `< b0`, `b0 – b1`, …, `≥ bn`. A range holds its lower boundary, not its upper one.
 */
export function rangeLabels(boundaries: readonly string[]): string[] {
  const labels: string[] = [];
  boundaries.forEach((boundary, index) => {
    labels.push(index === 0 ? `< ${boundary}` : `${boundaries[index - 1]} – ${boundary}`);
  });
  const last = boundaries[boundaries.length - 1];
  if (last !== undefined) labels.push(`≥ ${last}`);
  return labels;
}
