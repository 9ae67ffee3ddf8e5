import type {
  AppSummary,
  DepartmentSummary,
  PublishedFormBody,
  RecordBody,
  RecordHistoryEntry,
  RecordListQuery,
  RecordPage,
  UserSummary,
} from '@joinery/shared';
import type { ApiClient } from './api-client.ts';

/** `/api/apps/:app/forms/:form` with both keys escaped. */
export function formPath(app: string, form: string): string {
  return `/api/apps/${encodeURIComponent(app)}/forms/${encodeURIComponent(form)}`;
}

const recordsPath = (app: string, form: string) => `${formPath(app, form)}/records`;

/** A query string from the defined entries of `query` (undefined ones are left out). */
export function toQueryString(
  query: Readonly<Record<string, string | number | boolean | undefined>>,
) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

type Signal = { readonly signal?: AbortSignal };
const withSignal = (options: Signal) => (options.signal ? { signal: options.signal } : {});

/** Every app the user can see, with its forms. */
export async function listApps(client: ApiClient, options: Signal = {}) {
  const body = await client.get<{ items: AppSummary[] }>('/api/apps', withSignal(options));
  return body.items;
}

/** The live (published) definition of a form. */
export function fetchPublishedForm(
  client: ApiClient,
  app: string,
  form: string,
  options: Signal = {},
) {
  return client.get<PublishedFormBody>(formPath(app, form), withSignal(options));
}

/** One page of a form's records (filter, sort, keyset cursor, search). */
export function listRecords(
  client: ApiClient,
  app: string,
  form: string,
  query: RecordListQuery,
  options: Signal = {},
) {
  return client.get<RecordPage>(
    `${recordsPath(app, form)}${toQueryString({ ...query })}`,
    withSignal(options),
  );
}

/**
 * One record. `query.unmask` says which personal data to show in clear (`none`, or field keys;
 * by default all the user may unmask), `query.fields` which fields to read.
 */
export function getRecord(
  client: ApiClient,
  app: string,
  form: string,
  id: string,
  options: Signal & {
    readonly query?: { readonly fields?: string; readonly unmask?: string };
  } = {},
) {
  return client.get<RecordBody>(
    `${recordsPath(app, form)}/${encodeURIComponent(id)}${toQueryString({ ...options.query })}`,
    withSignal(options),
  );
}

/** Creates a record; a 400 `JNY_RECORD_INVALID` names each field's problem. */
export function createRecord(
  client: ApiClient,
  app: string,
  form: string,
  values: Record<string, unknown>,
) {
  return client.post<RecordBody>(recordsPath(app, form), { body: { values } });
}

/** Updates some fields; `version` is the one read, a newer one on the server answers 409. */
export function updateRecord(
  client: ApiClient,
  app: string,
  form: string,
  id: string,
  version: number,
  values: Record<string, unknown>,
  query: { readonly unmask?: string } = {},
) {
  const path = `${recordsPath(app, form)}/${encodeURIComponent(id)}${toQueryString({ ...query })}`;
  return client.patch<RecordBody>(path, { body: { version, values } });
}

/** The bulk endpoint: creates and deletes in one transaction (all or nothing). */
export function bulkWrite(
  client: ApiClient,
  app: string,
  form: string,
  body: {
    readonly create?: readonly { readonly values: Record<string, unknown> }[];
    readonly delete?: readonly { readonly id: string }[];
  },
) {
  return client.post<{ created: RecordBody[]; updated: RecordBody[]; deleted: RecordBody[] }>(
    `${recordsPath(app, form)}/bulk`,
    { body },
  );
}

/** Who changed what in a record, oldest first. */
export async function recordHistory(
  client: ApiClient,
  app: string,
  form: string,
  id: string,
  options: Signal = {},
) {
  const body = await client.get<{ items: RecordHistoryEntry[] }>(
    `${recordsPath(app, form)}/${encodeURIComponent(id)}/history`,
    withSignal(options),
  );
  return body.items;
}

/** Users whose name or username contains `search` (for the user picker). */
export async function searchUsers(client: ApiClient, search: string, options: Signal = {}) {
  const body = await client.get<{ items: UserSummary[] }>(
    `/api/users${toQueryString({ search, limit: 20 })}`,
    withSignal(options),
  );
  return body.items;
}

export async function listDepartments(client: ApiClient, options: Signal = {}) {
  const body = await client.get<{ items: DepartmentSummary[] }>(
    '/api/departments',
    withSignal(options),
  );
  return body.items;
}

/** An import job of the server (`POST …/imports`, `GET …/imports/:id`). */
export interface ImportJob {
  readonly id: string;
  /** running, succeeded, failed (nothing imported) or checked (dry run). */
  readonly status: string;
  readonly totalRows: number;
  readonly processedRows: number;
  readonly insertedRows: number;
  readonly invalidRows: number;
  /** Each invalid row's problem, already worded by the server ("row N, field F: reason"). */
  readonly problems: readonly {
    readonly row: number;
    readonly field: string;
    readonly message: string;
  }[];
}

/**
 * Sends a CSV or XLSX file to the server's import (multipart, with the column mapping):
 * `dryRun` checks every row and imports nothing; otherwise the import starts as a job
 * (`wait=false`, 202) to poll with {@link importJob}. Rows the server refuses come back as
 * problems of the job, or as a 400 whose `fields` name `rows/N/field`.
 */
export async function startImport(
  client: ApiClient,
  app: string,
  form: string,
  file: File,
  options: { readonly mapping: Readonly<Record<string, string>>; readonly dryRun: boolean },
): Promise<ImportJob> {
  const body = new FormData();
  body.append('file', file, file.name);
  const query = toQueryString({
    format: /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv',
    mode: 'all-or-nothing',
    dryRun: options.dryRun,
    wait: options.dryRun,
    mapping: JSON.stringify(options.mapping),
  });
  return client.upload<ImportJob>(`${formPath(app, form)}/imports${query}`, body);
}

/** The state of an import job (progress: `processedRows` of `totalRows`). */
export function importJob(client: ApiClient, app: string, form: string, id: string) {
  return client.get<ImportJob>(`${formPath(app, form)}/imports/${encodeURIComponent(id)}`);
}

/**
 * The URL of the server's export of a list query (streamed CSV or XLSX, every matching record):
 * a plain download link, the session cookie authenticates it.
 */
export function exportUrl(
  app: string,
  form: string,
  query: Omit<RecordListQuery, 'cursor' | 'limit' | 'count'>,
  format: 'csv' | 'xlsx',
): string {
  return `${formPath(app, form)}/export${toQueryString({ ...query, format })}`;
}
