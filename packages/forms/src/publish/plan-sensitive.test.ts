import { describe, expect, it } from 'vitest';
import type { FieldDefinition, FormDefinition } from '../schema/app-definition.ts';
import { validateFormDefinition } from '../schema/validate-app-definition.ts';
import { planPublish } from './plan-publish.ts';

const label = { 'zh-CN': '字段', en: 'Field' };
const idField = (extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  id: 'f1',
  key: 'id_number',
  type: 'national_id',
  label,
  validations: { unique: true },
  ...extra,
});
const form = (version: number, ...fields: FieldDefinition[]): FormDefinition => ({
  key: 'person',
  label,
  version,
  fields,
});
const sqlOf = (plan: ReturnType<typeof planPublish>) => plan.steps.map((s) => s.sql.sql);

describe('sensitive fields in the form engine', () => {
  it('refuses `sensitive` on a type that cannot be encrypted, naming the field', () => {
    const result = validateFormDefinition(
      form(1, { id: 'a', key: 'amount', type: 'number', label, sensitive: true }),
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems[0]?.pointer).toBe('/fields/0/sensitive');
    expect(problems[0]?.message.en).toContain('"amount"');
    expect(problems[0]?.message['zh-CN']).toContain('“amount”');
    expect(validateFormDefinition(form(1, idField({ sensitive: true }))).ok).toBe(true);
    expect(
      validateFormDefinition(form(1, { id: 'b', key: 'x__bidx', type: 'text', label })).ok,
    ).toBe(false);
  });

  it('creates the blind-index column with a unique index on it, not on the ciphertext', () => {
    const plan = planPublish(null, form(1, idField({ sensitive: true })), { appKey: 'crm' });
    const all = sqlOf(plan).join('\n');
    expect(all).toContain('"id_number__bidx" text');
    expect(all).toMatch(
      /create unique index "person_f1_uq" on "app_crm"."person" \("id_number__bidx"\)/,
    );
    expect(all).not.toMatch(/unique index [^\n]*\("id_number"\)/);
  });

  it('plans the encryption of existing values, and its reverse, around the index moves', () => {
    const on = planPublish(form(1, idField()), form(2, idField({ sensitive: true })), {
      appKey: 'crm',
    });
    expect(on.steps.map((s) => s.kind)).toEqual([
      'drop-index',
      'add-column',
      'encode-values',
      'create-index',
      'create-index',
    ]);
    expect(on.steps.find((s) => s.encode)?.encode).toMatchObject({
      column: 'id_number',
      indexColumn: 'id_number__bidx',
      to: 'cipher',
    });
    const off = planPublish(form(2, idField({ sensitive: true })), form(3, idField()), {
      appKey: 'crm',
    });
    expect(off.steps.map((s) => s.kind)).toEqual(['drop-column', 'encode-values', 'create-index']);
    expect(off.steps[1]?.encode?.to).toBe('plain');
  });

  it('renames the blind index with its field and refuses a type change while encrypted', () => {
    const renamed = planPublish(
      form(1, idField({ sensitive: true })),
      form(2, idField({ sensitive: true, key: 'id_no' })),
      { appKey: 'crm' },
    );
    expect(sqlOf(renamed).join('\n')).toContain('rename column "id_number__bidx" to "id_no__bidx"');
    const retyped = planPublish(
      form(1, idField({ sensitive: true })),
      form(2, idField({ sensitive: true, type: 'text' })),
      { appKey: 'crm' },
    );
    expect(retyped.refusals.map((r) => r.reason)).toEqual(['sensitiveTypeChange']);
  });
});
