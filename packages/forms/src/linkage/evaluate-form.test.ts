import { describe, expect, it } from 'vitest';
import {
  validateAppDefinition,
  validateFormDefinition,
} from '../schema/validate-app-definition.ts';
import { field, label, lendingApp } from '../testing/lending-app.fixture.ts';
import { evaluateForm } from './evaluate-form.ts';
import { logicReferences } from './logic-references.ts';
import { prepareRecordWrite } from './prepare-record-write.ts';

const app = validateAppDefinition(lendingApp);
if (!app.ok) throw new Error('fixture');
const application = app.value.forms[1];
if (!application) throw new Error('fixture');
const customerId = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';

describe('evaluateForm', () => {
  it('hides, requires and locks fields by their rules', () => {
    const small = evaluateForm(application, { amount: '10000.00', status: 'draft' });
    expect(small.hidden).toEqual(['purpose']);
    expect(small.required).toEqual(['customer', 'amount']);
    expect(small.readOnly).toEqual(['serial_no', 'dti', 'customer_city', 'guaranteed_total']);
    const large = evaluateForm(application, { amount: '300000.00', status: 'submitted' });
    expect(large.hidden).toEqual([]);
    expect(large.required).toContain('collateral');
    expect(large.readOnly).toContain('status');
  });

  it('computes formulas and subform rollups into their stored form', () => {
    const result = evaluateForm(application, {
      monthly_income: '20000.00',
      monthly_debt: '5000.00',
      guarantors: [{ amount: '100.10' }, { amount: '0.20' }, { amount: null }],
    });
    expect(result.values).toEqual({ dti: '25', guaranteed_total: '100.3' });
    expect(evaluateForm(application, { monthly_income: '0.00' }).values.dti).toBeNull();
  });

  it('orders formulas by dependency and reads the context', () => {
    const form = validateFormDefinition({
      key: 'calc',
      label: label('算', 'Calc'),
      version: 1,
      fields: [
        field('c1', 'total', 'formula', {
          config: { resultType: 'number', logic: { '+': [{ var: 'half' }, { var: 'half' }] } },
        }),
        field('c2', 'half', 'formula', {
          config: { resultType: 'number', logic: { '/': [{ var: 'base' }, 2] } },
        }),
        field('c3', 'base', 'number'),
        field('c4', 'note', 'text', {
          rules: { visibleWhen: { '==': [{ var: '$user.role' }, 'risk'] } },
        }),
      ],
    });
    if (!form.ok) throw new Error(JSON.stringify(form.problems));
    expect(evaluateForm(form.value, { base: 10 }).values).toEqual({ half: 5, total: 10 });
    expect(evaluateForm(form.value, {}, { user: { role: 'risk' } }).hidden).toEqual([]);
    expect(evaluateForm(form.value, {}, { user: { role: 'sales' } }).hidden).toEqual(['note']);
  });

  it('refuses a formula cycle at definition time', () => {
    const result = validateFormDefinition({
      key: 'loop',
      label: label('环', 'Loop'),
      version: 1,
      fields: [
        field('l1', 'a', 'formula', { config: { resultType: 'number', logic: { var: 'b' } } }),
        field('l2', 'b', 'formula', { config: { resultType: 'number', logic: { var: 'a' } } }),
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => p.reason)).toEqual(['formulaCycle', 'formulaCycle']);
  });

  it('finds the fields an expression reads', () => {
    expect([
      ...logicReferences({ and: [{ var: 'a.b' }, { var: ['c', 1] }, { var: '$user.id' }] }),
    ]).toEqual(['a', 'c']);
    expect([...logicReferences({ var: { cat: ['a', 'b'] } })]).toEqual(['*']);
  });
});

describe('prepareRecordWrite', () => {
  const base = {
    customer: customerId,
    amount: '10000',
    monthly_income: '20000',
    monthly_debt: '1000',
  };

  it('returns values to store with formulas computed', () => {
    const result = prepareRecordWrite(application, { mode: 'create', input: base });
    expect(result.ok && result.values).toEqual({
      customer: customerId,
      amount: '10000.00',
      monthly_income: '20000.00',
      monthly_debt: '1000.00',
      dti: '5',
      guaranteed_total: null,
    });
  });

  it('refuses a value for a hidden field and requires a required-when field', () => {
    const hidden = prepareRecordWrite(application, {
      mode: 'create',
      input: { ...base, purpose: 'x' },
    });
    expect(hidden.ok ? [] : hidden.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'purpose:hidden',
    ]);
    const large = prepareRecordWrite(application, {
      mode: 'create',
      input: { ...base, amount: '300000' },
    });
    expect(large.ok ? [] : large.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'collateral:required',
    ]);
    if (!large.ok) expect(large.problems[0]?.message.en).toBe('"collateral" is required');
  });

  it('applies rules to the merged record on update, read-only to the stored one', () => {
    const before = { ...base, amount: '10000.00', status: 'submitted' };
    const unlock = prepareRecordWrite(application, {
      mode: 'update',
      before,
      input: { status: 'draft' },
    });
    expect(unlock.ok ? [] : unlock.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'status:readOnly',
    ]);
    const same = prepareRecordWrite(application, {
      mode: 'update',
      before,
      input: { status: 'submitted', amount: 20000 },
    });
    expect(same.ok).toBe(true);
    const raise = prepareRecordWrite(application, {
      mode: 'update',
      before: { ...before, status: 'draft' },
      input: { amount: 250000 },
    });
    expect(raise.ok ? [] : raise.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'collateral:required',
    ]);
  });

  it('fills computed defaults on create only when the field is empty', () => {
    const form = validateFormDefinition({
      key: 'd',
      label: label('默认', 'Defaults'),
      version: 1,
      fields: [field('d1', 'owner_user', 'user', { rules: { defaultValue: { var: '$user.id' } } })],
    });
    if (!form.ok) throw new Error('fixture');
    const context = { user: { id: customerId } };
    const filled = prepareRecordWrite(form.value, { mode: 'create', input: {}, context });
    expect(filled.ok && filled.values).toEqual({ owner_user: customerId });
    const bad = prepareRecordWrite(form.value, {
      mode: 'create',
      input: {},
      context: { user: { id: 'nope' } },
    });
    expect(bad.ok && bad.values).toEqual({});
  });

  it('passes validation problems through untouched', () => {
    const result = prepareRecordWrite(application, { mode: 'create', input: { amount: 'lots' } });
    expect(result.ok ? [] : result.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'customer:required',
      'amount:type',
    ]);
  });
});

describe('subform rows', () => {
  const form = validateFormDefinition({
    key: 'contract',
    label: label('合同', 'Contract'),
    version: 1,
    fields: [
      field('s1', 'schedule', 'subform', {
        fields: [
          field('r1', 'principal', 'money'),
          field('r2', 'interest', 'money'),
          field('r3', 'total', 'formula', {
            config: {
              resultType: 'money',
              logic: { '+': [{ var: 'principal' }, { var: 'interest' }] },
            },
          }),
          field('r4', 'note', 'text', {
            rules: { requiredWhen: { '>': [{ var: 'interest' }, 100] } },
          }),
          field('r5', 'waiver', 'text', {
            rules: { visibleWhen: { '==': [{ var: 'interest' }, 0] } },
          }),
        ],
      }),
      field('s2', 'sum_total', 'rollup', {
        config: { aggregate: 'sum', subform: 'schedule', field: 'total' },
      }),
    ],
  });
  if (!form.ok) throw new Error(JSON.stringify(form.problems));

  it('computes row formulas before the parent rollups that read them', () => {
    const result = prepareRecordWrite(form.value, {
      mode: 'create',
      input: {
        schedule: [
          { principal: '100', interest: '10' },
          { principal: '200', interest: '20.5' },
        ],
      },
    });
    expect(result.ok && result.values).toEqual({
      schedule: [
        { principal: '100.00', interest: '10.00', total: '110.00' },
        { principal: '200.00', interest: '20.50', total: '220.50' },
      ],
      sum_total: '330.5',
    });
  });

  it('enforces row linkage with paths into the list', () => {
    const result = prepareRecordWrite(form.value, {
      mode: 'create',
      input: {
        schedule: [
          { principal: '1', interest: '200' },
          { principal: '1', interest: '5', waiver: 'x' },
        ],
      },
    });
    expect(result.ok ? [] : result.problems.map((p) => `${p.field}:${p.rule}`)).toEqual([
      'schedule/0/note:required',
      'schedule/1/waiver:hidden',
    ]);
  });

  it('leaves stored rows alone when an update does not send them', () => {
    const before = {
      schedule: [{ principal: '1.00', interest: '1.00', total: '2.00' }],
      sum_total: '2',
    };
    const result = prepareRecordWrite(form.value, { mode: 'update', before, input: {} });
    expect(result.ok && result.values).toEqual({ sum_total: '2' });
  });
});
