import { expect } from 'vitest';
import { label } from './records-fixture.ts';
import type { Actor, WorkflowKit } from './workflow-kit.ts';

/** The app the automation tests publish. */
export const APP = 'crm';

const options = (...values: string[]) => values.map((value) => ({ value, label: label(value) }));

/** Customers (with a grade and a counter) and notes that point to them. */
export async function publishCrm(k: WorkflowKit): Promise<void> {
  await k.form(APP, 'customer', [
    { id: 'c1', key: 'name', type: 'text', label: label('name'), validations: { required: true } },
    {
      id: 'c2',
      key: 'grade',
      type: 'select',
      label: label('grade'),
      config: { options: options('A', 'B', 'C', 'D') },
    },
    { id: 'c3', key: 'income', type: 'number', label: label('income') },
    { id: 'c4', key: 'counter', type: 'number', label: label('counter') },
    { id: 'c5', key: 'status', type: 'text', label: label('status') },
    { id: 'c6', key: 'risk', type: 'text', label: label('risk') },
    { id: 'c7', key: 'channel', type: 'text', label: label('channel') },
    { id: 'c8', key: 'code', type: 'text', label: label('code'), validations: { maxLength: 5 } },
  ]);
  await k.form(APP, 'note', [
    {
      id: 'n1',
      key: 'customer',
      type: 'relation',
      label: label('customer'),
      config: { form: 'customer' },
    },
    { id: 'n2', key: 'text', type: 'text', label: label('text') },
    { id: 'n3', key: 'level', type: 'number', label: label('level') },
  ]);
}

/** An automation rule as the admin API takes it. */
export interface RuleBody {
  name: string;
  enabled?: boolean;
  trigger: Record<string, unknown>;
  condition?: unknown;
  actions: Record<string, unknown>[];
}

/** A run as the run log lists it. */
export interface Run {
  id: string;
  ruleId: string;
  ruleName: string;
  trigger: Record<string, unknown>;
  chain: string[];
  matched: boolean;
  status: string;
  actions: { index: number; type: string; status: string; detail?: Record<string, unknown> }[];
  error: { code: string | null; message: string } | null;
  durationMs: number;
}

/** Calls the API as the kit's admin (or `as`). */
export function api(k: WorkflowKit, as?: Actor) {
  return (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    k.app.inject({
      method,
      url,
      headers: { ...(as ?? k.admin).headers, 'accept-language': 'en' },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** Creates a rule that must be accepted; returns its id (and secret for webhook rules). */
export async function rule(
  k: WorkflowKit,
  body: RuleBody,
): Promise<{ id: string; hookSecret: string | null }> {
  const response = await api(k)('POST', `/api/apps/${APP}/automation-rules`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; hookSecret: string | null };
}

/** The run log of the app, newest first (optionally of one rule). */
export async function runs(k: WorkflowKit, ruleId?: string, query = ''): Promise<Run[]> {
  const filter = ruleId ? `?rule=${ruleId}${query ? `&${query}` : ''}` : query ? `?${query}` : '';
  const response = await api(k)('GET', `/api/apps/${APP}/automation-runs${filter}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Run[] }).items;
}

/** Disables a rule (tests leave no rule running for the next one). */
export async function disable(k: WorkflowKit, id: string): Promise<void> {
  const response = await api(k)('POST', `/api/apps/${APP}/automation-rules/${id}/disable`);
  expect(response.statusCode, response.body).toBe(200);
}

/** A record as the records API answers it. */
export interface ApiRecord {
  id: string;
  version: number;
  owner: string | null;
  values: Record<string, unknown>;
}

export async function getRecord(k: WorkflowKit, form: string, id: string): Promise<ApiRecord> {
  const response = await api(k)('GET', `/api/apps/${APP}/forms/${form}/records/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ApiRecord;
}

export async function createRecord(
  k: WorkflowKit,
  form: string,
  values: Record<string, unknown>,
  as?: Actor,
) {
  return api(k, as)('POST', `/api/apps/${APP}/forms/${form}/records`, { values });
}

export async function updateRecord(
  k: WorkflowKit,
  form: string,
  id: string,
  values: Record<string, unknown>,
) {
  const current = await getRecord(k, form, id);
  return api(k)('PATCH', `/api/apps/${APP}/forms/${form}/records/${id}`, {
    version: current.version,
    values,
  });
}
