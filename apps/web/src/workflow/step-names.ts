import type { LocalizedText } from '@joinery/shared';
import { api } from '../api/api.ts';
import { stepNames } from '../api/workflow-api.ts';

/** A form's step names by node id. */
export type StepNames = ReadonlyMap<string, LocalizedText>;

const cache = new Map<string, Promise<StepNames>>();

/**
 * The step names of a form's workflows, fetched once per page load and shared by the inbox and
 * the timelines. A failed fetch is forgotten (the next call retries) and shows node ids meanwhile.
 */
export function loadStepNames(app: string, form: string): Promise<StepNames> {
  const key = `${app}/${form}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = stepNames(api, app, form).then(
      (items) => new Map(items.map((item) => [item.nodeId, item.name])),
    );
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}
