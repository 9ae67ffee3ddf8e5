/**
 * The list's filter as the API takes it: the filter the URL brought (`?filter=`, a dashboard's
 * drill-down) and the filter builder's, both applying. A URL filter that is not JSON is passed
 * on as it is, so the server refuses it with its own message instead of the list ignoring it.
 */
export function combineFilters(
  linked: string | undefined,
  built: unknown | undefined,
): string | undefined {
  if (linked === undefined || linked === '') {
    return built === undefined ? undefined : JSON.stringify(built);
  }
  if (built === undefined) return linked;
  try {
    return JSON.stringify({ and: [JSON.parse(linked), built] });
  } catch {
    return linked;
  }
}
