import {
  type CompiledField,
  compileFormValidator,
  deepFreeze,
  type FormDefinition,
  type FormValidator,
} from '@joinery/forms';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import type { FieldCipher } from '../access/field-cipher.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { type FormTable, formTable } from './form-table.ts';

/** A published form version, ready to serve records: definition, layout and validator. */
export interface PublishedForm {
  readonly appId: string;
  readonly appKey: string;
  readonly formId: string;
  readonly formKey: string;
  readonly version: number;
  readonly definition: FormDefinition;
  readonly table: FormTable;
  /** Compiled once per version (the form engine caches by the frozen definition). */
  readonly validator: FormValidator;
  /** Live (not deleted) fields by key, computed ones included. */
  readonly fields: ReadonlyMap<string, CompiledField>;
}

interface Entry {
  readonly form: PublishedForm;
  checkedAt: number;
}

/**
 * Published forms by app and form key, cached per process. A cached version is re-checked
 * against `joinery.forms.published_version` at most every `recheckMs` (one indexed read), so
 * a publish made by another server process is seen within that delay; a publish made by this
 * process invalidates its entry at once.
 */
export class FormRegistry {
  readonly #db: Kysely<JoineryDatabase>;
  readonly #recheckMs: number;
  readonly #entries = new Map<string, Entry>();
  readonly #versions = new Map<string, PublishedForm>();
  readonly #apps = new Map<string, { keys: readonly string[]; checkedAt: number }>();
  /** Encrypts and decrypts sensitive fields (see `loadFieldCipher`). */
  readonly cipher: FieldCipher | undefined;

  constructor(
    db: Kysely<JoineryDatabase>,
    options: { recheckMs?: number; cipher?: FieldCipher } = {},
  ) {
    this.#db = db;
    this.#recheckMs = options.recheckMs ?? 1000;
    this.cipher = options.cipher;
  }

  /**
   * The live version of a form; 404 when the app or form is unknown, 409 when unpublished.
   * Inside a transaction pass it as `via`, so the lookup never waits for a second connection.
   */
  async get(
    appKey: string,
    formKey: string,
    via?: Kysely<JoineryDatabase>,
  ): Promise<PublishedForm> {
    const db = via ?? this.#db;
    const key = `${appKey}/${formKey}`;
    const entry = this.#entries.get(key);
    const now = Date.now();
    if (entry && now - entry.checkedAt < this.#recheckMs) return entry.form;
    const row = await db
      .selectFrom('joinery.forms as f')
      .innerJoin('joinery.apps as a', 'a.id', 'f.app_id')
      .select(['a.id as app_id', 'f.id as form_id', 'f.published_version'])
      .where('a.key', '=', appKey)
      .where('f.key', '=', formKey)
      .executeTakeFirst();
    if (!row) {
      const app = await db
        .selectFrom('joinery.apps')
        .select('id')
        .where('key', '=', appKey)
        .executeTakeFirst();
      if (!app) throw new JoineryError('JNY_APP_NOT_FOUND', { app: appKey });
      throw new JoineryError('JNY_APP_FORM_NOT_FOUND', { app: appKey, form: formKey });
    }
    if (row.published_version === null) {
      throw new JoineryError('JNY_APP_FORM_NOT_PUBLISHED', { form: formKey });
    }
    if (entry && entry.form.version === row.published_version) {
      entry.checkedAt = now;
      return entry.form;
    }
    const form = await this.#load(db, appKey, row.app_id, row.form_id, row.published_version);
    this.#entries.set(key, { form, checkedAt: now });
    return form;
  }

  /** Every published form of an app (for relations, lookups and rollups across forms). */
  async allOf(appKey: string, via?: Kysely<JoineryDatabase>): Promise<readonly PublishedForm[]> {
    const now = Date.now();
    let known = this.#apps.get(appKey);
    if (!known || now - known.checkedAt >= this.#recheckMs) {
      const rows = await (via ?? this.#db)
        .selectFrom('joinery.forms as f')
        .innerJoin('joinery.apps as a', 'a.id', 'f.app_id')
        .select(['f.key'])
        .where('a.key', '=', appKey)
        .where('f.published_version', 'is not', null)
        .orderBy('f.key')
        .execute();
      known = { keys: rows.map((row) => row.key), checkedAt: now };
      this.#apps.set(appKey, known);
    }
    const forms: PublishedForm[] = [];
    for (const key of known.keys) forms.push(await this.get(appKey, key, via));
    return forms;
  }

  /** Forgets a form after a publish in this process. */
  invalidate(appKey: string, formKey: string): void {
    this.#entries.delete(`${appKey}/${formKey}`);
    this.#apps.delete(appKey);
  }

  async #load(
    db: Kysely<JoineryDatabase>,
    appKey: string,
    appId: string,
    formId: string,
    version: number,
  ): Promise<PublishedForm> {
    const versionKey = `${formId}@${version}`;
    const known = this.#versions.get(versionKey);
    if (known) return known;
    const row = await db
      .selectFrom('joinery.form_versions')
      .select('definition')
      .where('form_id', '=', formId)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    const form = publishedForm(
      appKey,
      appId,
      formId,
      row.definition as FormDefinition,
      this.cipher,
    );
    this.#versions.set(versionKey, form);
    return form;
  }
}

/**
 * Builds the served view of a published definition (validated when it was published); `cipher`
 * decrypts its sensitive fields, and only metadata checks that read no records go without.
 */
export function publishedForm(
  appKey: string,
  appId: string,
  formId: string,
  stored: FormDefinition,
  cipher?: FieldCipher,
): PublishedForm {
  const definition = deepFreeze(stored);
  const validator = compileFormValidator(definition);
  return Object.freeze({
    appId,
    appKey,
    formId,
    formKey: definition.key,
    version: definition.version,
    definition,
    table: formTable(appKey, definition, cipher),
    validator,
    fields: validator.fields,
  });
}
