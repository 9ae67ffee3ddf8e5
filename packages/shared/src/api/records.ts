import type { LocalizedText } from '../locale.ts';

/**
 * Wire types of the apps, forms and records API (`/api/apps/**`), as the server's route
 * schemas describe them. The server validates its output by those schemas; these types let the
 * web app read the answers without restating them.
 */

/** A form of an app, as `GET /api/apps` lists it: `publishedVersion` is null until published. */
export interface AppFormSummary {
  readonly key: string;
  readonly publishedVersion: number | null;
}

/** An app and its forms (`GET /api/apps`, `GET /api/apps/:app`). */
export interface AppSummary {
  readonly id: string;
  readonly key: string;
  readonly label: LocalizedText;
  readonly description: LocalizedText | null;
  readonly forms: readonly AppFormSummary[];
}

/**
 * The live definition of a form (`GET /api/apps/:app/forms/:form`). The definition is the form
 * engine's `FormDefinition`; it is typed there (`@joinery/forms`), not here.
 */
export interface PublishedFormBody {
  readonly version: number;
  readonly definition: Readonly<Record<string, unknown>>;
}

/** A record: system fields, then `values` by field key (money as exact decimal strings). */
export interface RecordBody {
  readonly id: string;
  /** Optimistic concurrency: send it back with an update; a newer one on the server is a 409. */
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
  readonly owner: string | null;
  readonly deletedAt: string | null;
  readonly values: Readonly<Record<string, unknown>>;
  /** Related records of the relation fields named in `expand`, by field key. */
  readonly expanded?: Readonly<Record<string, unknown>>;
}

/** A page of a record list; `nextCursor` continues it (keyset), null on the last page. */
export interface RecordPage {
  readonly items: readonly RecordBody[];
  readonly nextCursor: string | null;
  /** Present when the list asked for `count=true`. */
  readonly total?: number;
}

/** The query string of a list (`GET …/records`). */
export interface RecordListQuery {
  /** A JSON-logic condition as JSON text; the server translates it to SQL. */
  readonly filter?: string;
  /** Field keys, comma-separated; a leading `-` sorts descending. */
  readonly sort?: string;
  readonly limit?: number;
  readonly cursor?: string;
  readonly count?: boolean;
  /** Text search over the form's text fields. */
  readonly q?: string;
  readonly fields?: string;
  readonly expand?: string;
  readonly deleted?: 'exclude' | 'only' | 'include';
  /**
   * Personal data to show in clear: absent, all the caller may unmask; `none`; or field keys,
   * comma-separated (each such read is audited).
   */
  readonly unmask?: string;
}

/** One entry of a record's change history (`GET …/records/:id/history`), oldest first. */
export interface RecordHistoryEntry {
  readonly action: string;
  readonly version: number;
  readonly changes: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
  readonly changedBy: string | null;
  readonly changedByName: string | null;
  readonly changedAt: string;
}

/** A user as pickers see them (`GET /api/users?search=`). */
export interface UserSummary {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

/** A department of the organisation tree (`GET /api/departments`), flat with parent ids. */
export interface DepartmentSummary {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
}
