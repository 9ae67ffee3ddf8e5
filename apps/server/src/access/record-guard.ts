import type { FormAccess, FormAction } from '@joinery/access';
import { compileLogic, truthy } from '@joinery/rules';
import { JoineryError } from '@joinery/shared';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { auditRequest } from '../audit/request-audit.ts';
import type { Principal } from '../auth/principal.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { FormRegistry, PublishedForm } from '../metadata/form-registry.ts';
import type { ReadContext } from '../records/record-service.ts';
import type { RecordBody } from '../records/record-values.ts';
import { SYSTEM_COLUMNS } from '../records/record-values.ts';
import { type LookupRight, lookupRights, readVisibleLookups } from './lookup-rights.ts';
import { echoesWrite } from './masked-echoes.ts';
import {
  maskPersonalData,
  type PersonalData,
  personalDataHeld,
  personalDataOf,
  shownMasked,
} from './personal-data.ts';
import { type Viewer, viewerOf } from './viewer.ts';
import { viewerScope } from './viewer-scope.ts';

/**
 * How deeply a list filter may nest (arrays and operators each count): far beyond any real
 * condition, and short of what would exhaust the stack of the translator to SQL.
 */
const MAX_FILTER_DEPTH = 64;

/** Which unmaskable fields a request shows in clear: all of them, or only those named. */
export type Reveal = 'all' | ReadonlySet<string>;

/**
 * The access layer for one form and one request: every records route asks it first. It refuses
 * actions the viewer's roles do not grant, narrows every list to the viewer's row scope (inside
 * the SQL), hides records outside the scope as if they did not exist, refuses writes to fields
 * the viewer may not write, strips fields they may not read, masks personal data they may not
 * unmask — and audits every unmasked read of such data. What records show of other forms
 * (lookups, expanded relations) it shows under the viewer's rights on those forms.
 */
export class RecordGuard {
  private constructor(
    private readonly db: Kysely<JoineryDatabase>,
    private readonly forms: FormRegistry,
    private readonly request: FastifyRequest,
    readonly viewer: Viewer,
    private readonly form: PublishedForm,
    private readonly access: FormAccess,
    private readonly lookups: ReadonlyMap<string, LookupRight>,
  ) {}

  static async of(
    request: FastifyRequest,
    db: Kysely<JoineryDatabase>,
    forms: FormRegistry,
    form: PublishedForm,
    principal?: Principal,
  ): Promise<RecordGuard> {
    const viewer = await viewerOf(request, db, principal);
    const access = viewer.access(form.appKey, form.formKey);
    const lookups = await lookupRights(viewer, form, forms);
    return new RecordGuard(db, forms, request, viewer, form, access, lookups);
  }

  /** True when the viewer's roles grant `action` on the form. */
  allows(action: FormAction): boolean {
    return this.access.actions.has(action);
  }

  /** Throws 403 unless the viewer's roles grant `action` on the form. */
  require(action: FormAction): this {
    if (!this.allows(action)) throw new JoineryError('JNY_AUTH_FORBIDDEN');
    return this;
  }

  /**
   * The list filter the viewer asked for, narrowed to their scope for `action`. Filters may only
   * read fields the viewer may read and sees in clear (else one could probe hidden or masked
   * values by filtering on them).
   */
  async scopedFilter(action: FormAction, filter: string | undefined): Promise<string | undefined> {
    if (filter) await this.assertQueryableReferences(filter);
    const scope = this.scope(action);
    if (scope === true) return filter;
    if (scope === false) throw new JoineryError('JNY_AUTH_FORBIDDEN');
    if (!filter) return JSON.stringify(scope);
    try {
      return JSON.stringify({ and: [scope, JSON.parse(filter)] });
    } catch {
      return filter; // not JSON: the list refuses it with its own message, reading nothing
    }
  }

  /** True when the viewer may read the field. */
  canRead(key: string): boolean {
    return this.access.canRead(key);
  }

  /** True when the viewer may write the field (a create or edit grant that lets them). */
  canWrite(key: string): boolean {
    return this.access.canWrite(key);
  }

  /**
   * Sort keys must be readable fields the viewer sees in clear too: an order (and the cursor of
   * the next page, which holds the sort values) would reveal what a mask hides.
   */
  assertReadableSort(sort: string | undefined): void {
    for (const part of sort ? sort.split(',') : []) {
      const key = part.replace(/^-/, '');
      this.assertReadable(key);
      if (this.masked(key)) throw maskedQuery(key);
    }
  }

  /**
   * True when a text search may look into `key`: a field the viewer may read and sees in clear
   * (a search matching a hidden or masked value would reveal it).
   */
  searchable(key: string): boolean {
    return this.access.canRead(key) && !this.masked(key);
  }

  /** The context of the viewer's list reads: `ruleContext` and {@link searchable}. */
  readContext(): ReadContext {
    return {
      ...this.viewer.ruleContext(),
      user: this.viewer.user,
      searchable: (key) => this.searchable(key),
    };
  }

  /** True when the viewer sees the form's field `key` masked. */
  private masked(key: string): boolean {
    return shownMasked(this.form.fields.get(key)?.definition, this.access.canUnmask(key));
  }

  /** True when the viewer's scope for `action` is every record of the form (no row condition). */
  unscoped(action: FormAction): boolean {
    return this.scope(action) === true;
  }

  /** A record outside the viewer's scope for `action` answers 404, as if it did not exist. */
  assertInScope(action: FormAction, record: RecordBody): void {
    if (!this.inScope(action, record)) {
      throw new JoineryError('JNY_RECORD_NOT_FOUND', { id: record.id });
    }
  }

  /**
   * True when the viewer may read `field` of `record`: the view right on the form, the record in
   * their view scope, and the read right on the field (a subform's, for its rows' fields).
   */
  mayRead(record: RecordBody, field: string): boolean {
    return this.access.actions.has('view') && this.inScope('view', record) && this.canRead(field);
  }

  private inScope(action: FormAction, record: RecordBody): boolean {
    const scope = this.scope(action);
    if (typeof scope === 'boolean') return scope;
    const data = {
      ...record.values,
      id: record.id,
      owner: record.owner,
      created_by: record.createdBy,
    };
    return truthy(compileLogic(scope)(data, this.viewer.ruleContext()));
  }

  /** Throws 403 naming the fields of `values` the viewer may not write. */
  assertWritable(values: Readonly<Record<string, unknown>>): void {
    const refused = Object.keys(values).filter((key) => !this.access.canWrite(key));
    if (refused.length > 0) {
      throw new JoineryError(
        'JNY_AUTH_FORBIDDEN',
        {},
        refused.map((key) => ({
          field: `/body/values/${key}`,
          reason: { 'zh-CN': '无权修改此字段', en: 'You may not change this field' },
        })),
      );
    }
  }

  /** Relations may be expanded only into forms the viewer may read in full. */
  async assertExpandable(
    expand: string | undefined,
    target: (key: string) => Promise<PublishedForm | undefined>,
  ): Promise<void> {
    for (const key of expand ? expand.split(',') : []) {
      this.assertReadable(key);
      const other = await target(key);
      if (other && this.viewer.access(other.appKey, other.formKey).scope('view') !== true) {
        throw new JoineryError('JNY_AUTH_FORBIDDEN');
      }
    }
  }

  /**
   * The personal-data fields a request reveals, from its `unmask` parameter: absent, every field
   * the viewer may unmask (the API's default); `none`, none (the browser shows values masked
   * until the user asks); else the comma-separated fields, each of which the viewer must be
   * allowed to unmask (403 naming the others).
   */
  revealing(unmask: string | undefined): Reveal {
    if (unmask === undefined) return 'all';
    if (unmask === 'none') return new Set();
    const fields = new Set(unmask.split(',').filter((key) => key !== ''));
    const refused = [...fields].filter(
      (key) => !this.access.canRead(key) || !this.maskingOf(key).unmask,
    );
    if (refused.length > 0) {
      throw new JoineryError(
        'JNY_AUTH_FORBIDDEN',
        {},
        refused.map((key) => ({
          field: `/querystring/unmask/${key}`,
          reason: { 'zh-CN': '无权查看此字段的完整内容', en: 'You may not reveal this field' },
        })),
      );
    }
    return fields;
  }

  /**
   * What the viewer may see of records: unreadable fields removed, personal data masked unless
   * they may unmask it and the request reveals it, lookups and expanded relations shown only as
   * far as the viewer may read the related records. Clear values of personal data are audited,
   * one entry per request.
   */
  async present<T extends RecordBody>(records: T[], reveal: Reveal = 'all'): Promise<T[]> {
    return this.show(records, reveal, []);
  }

  /**
   * {@link present} for the records a write returns, `sent[i]` being the values the request
   * supplied for `records[i]`: echoing a value the writer just sent is no look at data they did
   * not have, so only the other clear values of personal data are audited. `reveal` as on reads.
   */
  async presentWritten<T extends RecordBody>(
    records: T[],
    sent: readonly Readonly<Record<string, unknown>>[],
    reveal: Reveal = 'all',
  ): Promise<T[]> {
    return this.show(records, reveal, sent);
  }

  private async show<T extends RecordBody>(
    records: T[],
    reveal: Reveal,
    sent: readonly Readonly<Record<string, unknown>>[],
  ): Promise<T[]> {
    await readVisibleLookups(this.db, this.forms, this.form, records, this.lookups);
    const unmasked = new Map<string, string[]>();
    // What the viewer may see of each field, worked out once per field, not once per record.
    const rights = new Map<string, ReturnType<RecordGuard['maskingOf']> & { read: boolean }>();
    const rightsOf = (key: string) => {
      let known = rights.get(key);
      if (!known) {
        known = { read: this.access.canRead(key), ...this.maskingOf(key) };
        rights.set(key, known);
      }
      return known;
    };
    records.forEach((record, index) => {
      for (const key of Object.keys(record.values)) {
        const { read, data, unmask } = rightsOf(key);
        if (!read) {
          delete record.values[key];
          continue;
        }
        const value = record.values[key];
        const held = data ? personalDataHeld(key, value, data) : [];
        if (!data || held.length === 0) continue;
        if (unmask && (reveal === 'all' || reveal.has(key))) {
          if (echoesWrite(sent[index], key, value, data)) continue;
          unmasked.set(record.id, [...(unmasked.get(record.id) ?? []), ...held]);
        } else {
          record.values[key] = maskPersonalData(value, data);
        }
      }
    });
    if (unmasked.size > 0) {
      await auditRequest(
        this.db,
        this.request,
        'record.unmask',
        `${this.form.appKey}.${this.form.formKey}`,
        {
          records: Object.fromEntries(unmasked),
        },
      );
    }
    await this.presentExpanded(records, reveal);
    return records;
  }

  /** Expanded related records, each shown as that form's own guard shows it to the viewer. */
  private async presentExpanded(records: RecordBody[], reveal: Reveal): Promise<void> {
    const keys = new Set(records.flatMap((record) => Object.keys(record.expanded ?? {})));
    for (const key of keys) {
      const target = this.form.fields.get(key)?.definition.config?.form;
      if (typeof target !== 'string') continue;
      const guard = await RecordGuard.of(
        this.request,
        this.db,
        this.forms,
        await this.forms.get(this.form.appKey, target),
      );
      const related = records.flatMap((record) => {
        const value = record.expanded?.[key];
        return (Array.isArray(value) ? value : value ? [value] : []) as RecordBody[];
      });
      await guard.present(related, reveal === 'all' ? 'all' : new Set());
    }
  }

  /** The row scope for `action` (see `viewerScope`). */
  private scope(action: FormAction): unknown {
    return viewerScope(this.access, action, this.viewer.user);
  }

  /** {@link present} for one record. */
  async presentOne<T extends RecordBody>(record: T, reveal: Reveal = 'all'): Promise<T> {
    await this.present([record], reveal);
    return record;
  }

  /**
   * The personal data a field holds and whether the viewer may see it in clear: a lookup as its
   * field on the related form; any other field by its type (a subform by its rows' fields) and
   * the viewer's rights on it here.
   */
  private maskingOf(key: string): { data: PersonalData | undefined; unmask: boolean } {
    const lookup = this.lookups.get(key);
    if (lookup) {
      return {
        data: lookup.mask ? { kind: 'value', rule: lookup.mask } : undefined,
        unmask: lookup.unmask,
      };
    }
    return {
      data: personalDataOf(this.form.fields.get(key)?.definition),
      unmask: this.access.canUnmask(key),
    };
  }

  /**
   * Throws 403 unless the viewer may read `key`: a field of the form or, through a relation, a
   * field of the related form (`customer.city`). The latter needs what an expansion needs — the
   * view right on every row of that form — and the read right on the field there; else a filter
   * could probe rows and fields the viewer may not see.
   */
  private assertReadable(key: string): void {
    const [root = key, ...rest] = key.split('.');
    if (Object.hasOwn(SYSTEM_COLUMNS, root)) return;
    if (!this.access.canRead(root)) throw unreadable(root);
    const target = this.form.fields.get(root)?.definition.config?.form;
    if (rest.length === 0 || typeof target !== 'string') return;
    const field = rest.join('.');
    const related = this.viewer.access(this.form.appKey, target);
    if (
      related.scope('view') !== true ||
      (!Object.hasOwn(SYSTEM_COLUMNS, field) && !related.canRead(field))
    ) {
      throw unreadable(key);
    }
  }

  /**
   * Throws unless the viewer may filter on `key`: {@link assertReadable}, and the field (here or,
   * through a relation, on the related form) not shown masked to them (403 naming it).
   */
  private async assertQueryable(key: string): Promise<void> {
    this.assertReadable(key);
    const [root = key, ...rest] = key.split('.');
    if (Object.hasOwn(SYSTEM_COLUMNS, root)) return;
    if (this.masked(root)) throw maskedQuery(key); // `mobile`, and any path into it
    if (rest.length === 0) return;
    const target = this.form.fields.get(root)?.definition.config?.form;
    const field = rest.join('.');
    if (typeof target !== 'string' || Object.hasOwn(SYSTEM_COLUMNS, field)) return;
    const related = await this.forms.get(this.form.appKey, target);
    const unmask = this.viewer.access(this.form.appKey, target).canUnmask(field);
    if (shownMasked(related.fields.get(field)?.definition, unmask)) throw maskedQuery(key);
  }

  private async assertQueryableReferences(filter: string): Promise<void> {
    let logic: unknown;
    try {
      logic = JSON.parse(filter);
    } catch {
      return;
    }
    const paths = new Set<string>();
    const visit = (node: unknown, depth: number): void => {
      if (depth > MAX_FILTER_DEPTH) {
        throw new JoineryError('JNY_RECORD_QUERY_INVALID', {
          parameter: 'filter',
          reason: `nested deeper than ${MAX_FILTER_DEPTH} levels`,
        });
      }
      if (Array.isArray(node)) {
        for (const item of node) visit(item, depth + 1);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      for (const [operator, args] of Object.entries(node)) {
        if (operator === 'var') {
          const path = Array.isArray(args) ? args[0] : args;
          if (typeof path === 'string' && path !== '' && !path.startsWith('$')) paths.add(path);
        }
        visit(args, depth + 1);
      }
    };
    visit(logic, 0);
    for (const path of paths) await this.assertQueryable(path);
  }
}

function maskedQuery(field: string): JoineryError {
  return new JoineryError('JNY_FIELD_MASKED_QUERY', { field: field.slice(0, 64) });
}

function unreadable(field: string): JoineryError {
  return new JoineryError('JNY_AUTH_FORBIDDEN', {}, [
    { field, reason: { 'zh-CN': '无权读取此字段', en: 'You may not read this field' } },
  ]);
}
