import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import {
  validateAppDefinition,
  validateFormDefinition,
} from '../schema/validate-app-definition.ts';
import { field, label, lendingApp } from '../testing/lending-app.fixture.ts';
import { compileFormValidator } from './compile-form-validator.ts';

const app = validateAppDefinition(lendingApp);
if (!app.ok) throw new Error('fixture');
const [customerForm, applicationForm] = app.value.forms;
if (!customerForm || !applicationForm) throw new Error('fixture');
const customers = compileFormValidator(customerForm);
const applications = compileFormValidator(applicationForm);

const validCustomer = {
  name: ' 张三 ',
  mobile: '138 0013 8000',
  id_number: '11010519491231002x',
  tags: ['new'],
};

function problems(result: ReturnType<typeof customers.validateCreate>) {
  return result.ok ? [] : result.problems.map((problem) => `${problem.field}:${problem.rule}`);
}

describe('compileFormValidator', () => {
  it('compiles once per published version', () => {
    expect(compileFormValidator(customerForm)).toBe(customers);
  });

  it('normalises a valid create', () => {
    expect(customers.validateCreate(validCustomer)).toEqual({
      ok: true,
      value: {
        name: '张三',
        mobile: '13800138000',
        id_number: '11010519491231002X',
        tags: ['new'],
      },
    });
  });

  it('enforces required fields on create, not on a partial update', () => {
    expect(problems(customers.validateCreate({ name: 'x' }))).toEqual(['mobile:required']);
    expect(customers.validateUpdate({ city: '上海' })).toEqual({
      ok: true,
      value: { city: '上海' },
    });
    expect(problems(customers.validateUpdate({ mobile: null }))).toEqual(['mobile:required']);
    expect(problems(customers.validateUpdate({ name: '   ' }))).toEqual(['name:required']);
  });

  it('refuses unknown, computed and system fields', () => {
    expect(problems(customers.validateCreate({ ...validCustomer, salary: 1 }))).toEqual([
      'salary:unknown',
    ]);
    expect(problems(customers.validateUpdate({ id: 'x', version: 3 }))).toEqual([
      'id:notWritable',
      'version:notWritable',
    ]);
    expect(problems(applications.validateUpdate({ serial_no: 'LA-1', dti: '1' }))).toEqual([
      'serial_no:notWritable',
      'dti:notWritable',
    ]);
    expect(
      problems(customers.validateUpdate(JSON.parse('{"__proto__": {"admin": true}}'))),
    ).toEqual(['__proto__:unknown']);
    expect(problems(customers.validateUpdate({ 'name; DROP TABLE x': 'a' }))).toEqual([
      'name; DROP TABLE x:unknown',
    ]);
  });

  it('checks declared validations with messages naming label, rule and value', () => {
    const result = applications.validateUpdate({ amount: '999.99', term: 61 });
    expect(problems(result)).toEqual(['amount:min', 'term:max']);
    if (result.ok) return;
    expect(result.problems[0]?.message).toEqual({
      'zh-CN': '“金额”不能小于 1000，当前为 "999.99"',
      en: '"Amount" must be at least 1000; got "999.99"',
    });
    expect(result.problems[1]?.message.en).toBe('"Term" must be at most 60; got 61');
  });

  it('names the offending value for format errors, in both languages', () => {
    const result = customers.validateUpdate({ mobile: '12345' });
    if (result.ok) throw new Error('expected a problem');
    expect(result.problems[0]?.message).toEqual({
      'zh-CN': '“手机号”的值 "12345" 不是有效的手机号',
      en: '"Mobile": "12345" is not a valid mobile number',
    });
  });

  it('keeps SQL fragments as plain values or refuses them, never interprets them', () => {
    const sqlish = "Robert'); DROP TABLE customer; --";
    expect(customers.validateUpdate({ name: sqlish })).toEqual({
      ok: true,
      value: { name: sqlish },
    });
    expect(problems(customers.validateUpdate({ grade: "A' OR '1'='1" }))).toEqual([
      'grade:options',
    ]);
    expect(problems(applications.validateUpdate({ amount: '1 OR 1=1' }))).toEqual(['amount:type']);
  });

  it('refuses wrong shapes and oversized values without throwing', () => {
    for (const input of [null, [], 'x', 42, undefined]) {
      expect(problems(customers.validateCreate(input))).toEqual([':notObject']);
    }
    expect(problems(customers.validateUpdate({ name: 'x'.repeat(51) }))).toEqual([
      'name:maxLength',
    ]);
    expect(problems(customers.validateUpdate({ city: 'x'.repeat(1_000_000) }))).toEqual([
      'city:maxLength',
    ]);
    const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]));
    const result = customers.validateUpdate(many);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.length).toBeLessThanOrEqual(50);
  });

  it('validates subform rows with paths into the list', () => {
    const result = applications.validateUpdate({
      guarantors: [{ name: '李四', amount: '100' }, { amount: 'x' }, 'nope'],
    });
    expect(problems(result)).toEqual([
      'guarantors/1/name:required',
      'guarantors/1/amount:type',
      'guarantors/2:notObject',
    ]);
    expect(
      applications.validateUpdate({
        guarantors: [{ id: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', name: '李四', amount: '100' }],
      }),
    ).toEqual({
      ok: true,
      value: {
        guarantors: [
          { id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', name: '李四', amount: '100.00' },
        ],
      },
    });
  });

  it('throws the catalogue error in the requested language', () => {
    try {
      customers.assertCreate({}, 'en');
      expect.unreachable();
    } catch (error) {
      if (!isJoineryError(error)) throw error;
      expect(error.code).toBe('JNY_RECORD_INVALID');
      expect(error.status).toBe(400);
      expect(error.fields).toEqual([
        { field: 'name', reason: '"Name" is required' },
        { field: 'mobile', reason: '"Mobile" is required' },
      ]);
    }
  });

  it('ignores deleted fields: their values are not accepted', () => {
    const form = {
      ...customerForm,
      fields: customerForm.fields.map((f) => (f.key === 'city' ? { ...f, deleted: true } : f)),
    };
    expect(problems(compileFormValidator(form).validateUpdate({ city: 'x' }))).toEqual([
      'city:unknown',
    ]);
  });

  it('applies patterns, lengths, date bounds and item counts', () => {
    const form = validateFormDefinition({
      key: 'checks',
      label: label('校验', 'Checks'),
      version: 1,
      fields: [
        field('c1', 'code', 'text', {
          label: label('编码', 'Code'),
          validations: { pattern: '^[A-Z]{2}\\d{4}$', minLength: 6 },
        }),
        field('c2', 'due', 'date', { validations: { min: '2026-01-01', max: '2026-12-31' } }),
        field('c3', 'tags', 'multiselect', {
          config: {
            options: ['a', 'b', 'c'].map((value) => ({ value, label: label(value, value) })),
          },
          validations: { minItems: 2 },
        }),
        field('c4', 'rate', 'percent', { validations: { max: '100' } }),
      ],
    });
    if (!form.ok) throw new Error(JSON.stringify(form.problems));
    const checks = compileFormValidator(form.value);
    expect(
      checks.validateUpdate({ code: 'AB1234', due: '2026-06-01', tags: ['a', 'b'], rate: '99.5' })
        .ok,
    ).toBe(true);
    expect(problems(checks.validateUpdate({ code: 'ab1234' }))).toEqual(['code:pattern']);
    expect(problems(checks.validateUpdate({ code: 'AB12' }))).toEqual(['code:minLength']);
    expect(problems(checks.validateUpdate({ due: '2025-12-31' }))).toEqual(['due:min']);
    expect(problems(checks.validateUpdate({ tags: ['a'] }))).toEqual(['tags:minItems']);
    expect(problems(checks.validateUpdate({ rate: '100.0001' }))).toEqual(['rate:max']);
    const result = checks.validateUpdate({ code: 'ab1234' });
    if (!result.ok) {
      expect(result.problems[0]?.message).toEqual({
        'zh-CN': '“编码”的值 "ab1234" 格式不符合要求',
        en: '"Code": "ab1234" does not match the required pattern',
      });
    }
  });

  it('publishes a JSON schema of stored values for API output', () => {
    expect(customers.recordSchema).toMatchObject({
      properties: { mobile: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
    });
  });
});
