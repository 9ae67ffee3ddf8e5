import type {
  InboxBox,
  InboxPage,
  InstanceActionRequest,
  InstanceView,
  RecordInstance,
  TaskActionRequest,
  TaskView,
  TimelineEntry,
  WorkflowStepName,
} from '@joinery/shared';
import type { ApiClient } from './api-client.ts';
import { toQueryString } from './records-api.ts';

type Signal = { readonly signal?: AbortSignal };
const withSignal = (options: Signal) => (options.signal ? { signal: options.signal } : {});

/** What the server filters an inbox list by (every list's count follows the same filter). */
export interface InboxQuery {
  readonly app?: string;
  readonly form?: string;
  readonly nodeId?: string;
  readonly overdue?: boolean;
  readonly q?: string;
}

/** One page of one inbox list, with the counts of every list under the same filter. */
export function listInbox(
  client: ApiClient,
  box: InboxBox,
  page: { readonly limit: number; readonly offset?: number },
  filter: InboxQuery = {},
  options: Signal = {},
) {
  const query = { ...filter, box, limit: page.limit, offset: page.offset };
  return client.get<InboxPage>(`/api/workflow/tasks${toQueryString(query)}`, withSignal(options));
}

/** A task with the record fields its step shows, and those it lets the reviewer edit. */
export function getTask(client: ApiClient, id: string, options: Signal = {}) {
  return client.get<TaskView>(`/api/workflow/tasks/${encodeURIComponent(id)}`, withSignal(options));
}

/**
 * Acts on a task. The idempotency key makes a retried click (a lost answer, a double click)
 * act once: the server answers a repeat with the first answer.
 */
export function actOnTask(
  client: ApiClient,
  id: string,
  action: TaskActionRequest,
  idempotencyKey: string,
) {
  return client.post<unknown>(`/api/workflow/tasks/${encodeURIComponent(id)}/actions`, {
    body: { ...action, idempotencyKey },
  });
}

/** The names of the steps of a form's workflows, by node id. */
export async function stepNames(client: ApiClient, app: string, form: string) {
  const body = await client.get<{ items: WorkflowStepName[] }>(
    `/api/workflow/steps${toQueryString({ app, form })}`,
  );
  return body.items;
}

/** The instances of a record that the user may see, newest first. */
export async function recordInstances(
  client: ApiClient,
  app: string,
  form: string,
  recordId: string,
) {
  const body = await client.get<{ items: RecordInstance[] }>(
    `/api/workflow/instances${toQueryString({ app, form, recordId })}`,
  );
  return body.items;
}

/** Who did what and when in an instance, oldest first. */
export async function instanceTimeline(client: ApiClient, instanceId: string) {
  const body = await client.get<{ entries: TimelineEntry[] }>(
    `/api/workflow/instances/${encodeURIComponent(instanceId)}/timeline`,
  );
  return body.entries;
}

/** An instance: its record, status and open tasks (participants and admins only). */
export function getInstance(client: ApiClient, id: string, options: Signal = {}) {
  return client.get<InstanceView>(
    `/api/workflow/instances/${encodeURIComponent(id)}`,
    withSignal(options),
  );
}

/**
 * Acts on a whole instance as its submitter: withdraw it, or resubmit it after a return. The
 * idempotency key makes a retried click act once, as for task actions.
 */
export function actOnInstance(
  client: ApiClient,
  id: string,
  action: InstanceActionRequest,
  idempotencyKey: string,
) {
  return client.post<unknown>(`/api/workflow/instances/${encodeURIComponent(id)}/actions`, {
    body: { ...action, idempotencyKey },
  });
}
