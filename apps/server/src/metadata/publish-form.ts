import {
  assertPublishable,
  type CheckRow,
  type FormDefinition,
  parseFormDefinition,
  planPublish,
  unconvertibleRowsError,
} from '@joinery/forms';
import { JoineryError, type Locale } from '@joinery/shared';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { FieldCipher } from '../access/field-cipher.ts';
import { fieldIdentity, SensitiveField } from '../access/sensitive-codec.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { RecomputeClock } from '../records/recompute-computed.ts';
import { backfillComputed } from './backfill-computed.ts';
import { encodeValues } from './encode-values.ts';
import { mergeWithLive } from './next-version.ts';

/** What a publish did. */
export interface PublishOutcome {
  readonly version: number;
  readonly steps: readonly string[];
  readonly definition: FormDefinition;
}

/** Who publishes, which form, and how to change the live definition into the next one. */
export interface PublishRequest {
  readonly appKey: string;
  readonly formKey: string;
  readonly userId: string;
  readonly locale: Locale;
  /** The next definition from the live one (null before the first publish) and the draft. */
  readonly next: (live: FormDefinition | null, draft: unknown) => unknown;
  /** Drop the columns (and data) of the deleted fields the next definition leaves out. */
  readonly purgeMissing?: boolean;
  /** Encrypts existing values when a field becomes sensitive (and decrypts them back). */
  readonly cipher?: FieldCipher | undefined;
  /** `$now` and the business day of formulas the publish recomputes (the server's clock). */
  readonly clock: RecomputeClock;
}

/**
 * Publishes a form version in ONE transaction: locks the form row (so two publishes queue),
 * reads the live version, validates the next definition against the app's other forms, plans
 * the DDL from the live version, applies it, and records the immutable version. Any refusal
 * (invalid definition, unsupported type change, rows that do not convert) rolls everything
 * back: tables and metadata stay as they were.
 */
export async function publishForm(
  db: Kysely<JoineryDatabase>,
  request: PublishRequest,
): Promise<PublishOutcome> {
  return db.transaction().execute(async (trx) => {
    const form = await trx
      .selectFrom('joinery.forms as f')
      .innerJoin('joinery.apps as a', 'a.id', 'f.app_id')
      .select(['f.id', 'f.app_id', 'f.draft', 'f.published_version'])
      .where('a.key', '=', request.appKey)
      .where('f.key', '=', request.formKey)
      .forUpdate('f')
      .executeTakeFirst();
    if (!form) {
      throw new JoineryError('JNY_APP_FORM_NOT_FOUND', {
        app: request.appKey,
        form: request.formKey,
      });
    }
    const live =
      form.published_version === null
        ? null
        : await liveDefinition(trx, form.id, form.published_version);
    const others = await otherLiveForms(trx, form.app_id, form.id);
    const candidate = request.next(live, form.draft);
    const next = parseFormDefinition(candidate, request.locale, { forms: others });
    if (next.key !== request.formKey) {
      throw new JoineryError('JNY_FORM_PUBLISH_REFUSED', {
        form: request.formKey,
        reason: `the definition's key is ${next.key}`,
      });
    }
    checkRelationTargets(next, others, request.formKey);
    // The form engine plans the DDL as data (kysely-compiled, identifiers quoted); the checks
    // run first and any row they return refuses the publish, then the steps, in order.
    const plan = assertPublishable(
      planPublish(live, next, { appKey: request.appKey, purge: purgeIds(request, live, next) }),
      request.formKey,
      request.locale,
    );
    for (const check of plan.checks) {
      const found = await trx.executeQuery<CheckRow>(
        CompiledQuery.raw(check.sql.sql, [...check.sql.parameters]),
      );
      if (found.rows.length > 0) throw unconvertibleRowsError(check, found.rows, request.locale);
    }
    for (const step of plan.steps) {
      if (step.encode) {
        // Encrypting or decrypting existing values needs the keys, which only the server has.
        const codec = sensitiveCodec(request, step.fieldId ?? '', step.encode.column);
        await encodeValues(trx, step.encode, codec, form.id);
        continue;
      }
      await trx.executeQuery(CompiledQuery.raw(step.sql.sql, [...step.sql.parameters]));
    }
    await trx
      .insertInto('joinery.form_versions')
      .values({
        form_id: form.id,
        version: next.version,
        definition: JSON.stringify(next),
        published_by: request.userId,
      })
      .execute();
    await trx
      .updateTable('joinery.forms')
      .set({ published_version: next.version })
      .where('id', '=', form.id)
      .execute();
    await backfillComputed(trx, request.appKey, live, next, others, request.clock);
    return { version: next.version, steps: plan.steps.map((step) => step.kind), definition: next };
  });
}

function sensitiveCodec(
  request: PublishRequest,
  fieldId: string,
  fieldKey: string,
): SensitiveField {
  if (!request.cipher) {
    throw new JoineryError('JNY_FORM_PUBLISH_REFUSED', {
      form: request.formKey,
      reason: 'the encryption keys are not loaded, so existing values cannot be re-encoded',
    });
  }
  return new SensitiveField(
    request.cipher,
    fieldIdentity(request.appKey, request.formKey, fieldId),
    fieldKey,
  );
}

/** The draft merged over the live version (fields left out are kept, hidden). */
export function fromDraft(live: FormDefinition | null, draft: unknown): unknown {
  return mergeWithLive(draft as FormDefinition, live);
}

/**
 * The live version without one deleted field: the next publish drops its column (or table)
 * and its data. Only a field already deleted may be purged.
 */
export function withoutField(fieldKeyOrId: string): Pick<PublishRequest, 'next' | 'purgeMissing'> {
  return {
    purgeMissing: true,
    next: (live: FormDefinition | null): unknown => {
      if (!live) {
        throw new JoineryError('JNY_APP_PURGE_INVALID', {
          field: fieldKeyOrId,
          reason: 'the form is not published',
        });
      }
      const field = live.fields.find((f) => f.id === fieldKeyOrId || f.key === fieldKeyOrId);
      if (!field?.deleted) {
        throw new JoineryError('JNY_APP_PURGE_INVALID', {
          field: fieldKeyOrId,
          reason: field ? 'delete the field and publish first' : 'no such field',
        });
      }
      return {
        ...live,
        version: live.version + 1,
        fields: live.fields.filter((f) => f !== field),
      };
    },
  };
}

function purgeIds(
  request: PublishRequest,
  live: FormDefinition | null,
  next: FormDefinition,
): string[] {
  if (!request.purgeMissing || !live) return [];
  return live.fields
    .filter((field) => field.deleted && !next.fields.some((kept) => kept.id === field.id))
    .map((field) => field.id);
}

async function liveDefinition(
  trx: Transaction<JoineryDatabase>,
  formId: string,
  version: number,
): Promise<FormDefinition> {
  const row = await trx
    .selectFrom('joinery.form_versions')
    .select('definition')
    .where('form_id', '=', formId)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
  return row.definition as FormDefinition;
}

async function otherLiveForms(
  trx: Transaction<JoineryDatabase>,
  appId: string,
  formId: string,
): Promise<FormDefinition[]> {
  const rows = await trx
    .selectFrom('joinery.forms as f')
    .innerJoin('joinery.form_versions as v', (join) =>
      join.onRef('v.form_id', '=', 'f.id').onRef('v.version', '=', 'f.published_version'),
    )
    .select('v.definition')
    .where('f.app_id', '=', appId)
    .where('f.id', '!=', formId)
    .execute();
  return rows.map((row) => row.definition as FormDefinition);
}

/** A relation or rollup may only point at a form that is published (its table exists). */
function checkRelationTargets(
  next: FormDefinition,
  others: readonly FormDefinition[],
  self: string,
): void {
  for (const field of next.fields) {
    if (field.deleted || field.type !== 'relation') continue;
    const target = String(field.config?.form ?? '');
    if (target !== self && !others.some((form) => form.key === target)) {
      throw new JoineryError('JNY_FORM_PUBLISH_REFUSED', {
        form: self,
        reason: `publish the form ${target} first (the relation ${field.key} points to it)`,
      });
    }
  }
}
