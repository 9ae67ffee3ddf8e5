import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { field } from '../testing/lending-app.fixture.ts';
import { parseDecimal } from './decimal-value.ts';
import type { FieldType } from './define-field-type.ts';
import {
  BUILT_IN_FIELD_TYPES,
  createFieldTypeRegistry,
  fieldTypes,
} from './field-type-registry.ts';

const options = ['a', 'b', 'c'].map((value) => ({ value, label: { 'zh-CN': value, en: value } }));
const configs: Record<string, Record<string, unknown>> = {
  select: { options },
  multiselect: { options },
  relation: { form: 'customer' },
  formula: { logic: 1, resultType: 'number' },
  rollup: { aggregate: 'sum', subform: 'rows', field: 'x' },
  lookup: { relation: 'customer', field: 'name' },
  serial: { pattern: 'LA-{YYYYMMDD}-{counter:4}' },
};

function bind(type: string, config: Record<string, unknown> = configs[type] ?? {}) {
  return fieldTypes.get(type, 1).bind(field('t1', 'x', type, { config }));
}

/** [type, input, expected normalised value] */
const accepted: [string, unknown, unknown][] = [
  ['text', '  hello  ', 'hello'],
  ['text', '', null],
  ['text', '张三', '张三'],
  ['textarea', 'line 1\nline 2', 'line 1\nline 2'],
  ['number', 12, 12],
  ['number', '12.5', 12.5],
  ['number', -0, 0],
  ['number', 1e-6, 0.000001],
  ['money', '1234.5', '1234.50'],
  ['money', 1234.56, '1234.56'],
  ['money', '-0', '0.00'],
  ['money', '9999999999999999.99', '9999999999999999.99'],
  ['percent', '12.50', '12.5'],
  ['date', '2024-02-29', '2024-02-29'],
  ['datetime', '2026-11-22T08:00:00+08:00', '2026-11-22T00:00:00.000Z'],
  ['datetime', '2026-11-22T00:00Z', '2026-11-22T00:00:00.000Z'],
  ['select', 'a', 'a'],
  ['multiselect', ['c', 'a', 'a'], ['a', 'c']],
  ['multiselect', [], null],
  ['checkbox', false, false],
  ['user', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['department', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['mobile', '+86 138-0013-8000', '13800138000'],
  ['mobile', '8613800138000', '13800138000'],
  ['email', 'Li.Lei@Example.COM', 'Li.Lei@example.com'],
  ['national_id', '11010519491231002x', '11010519491231002X'],
  ['bank_account', '6222 0200 0000 0000 000', '6222020000000000000'],
  ['url', 'https://joinery.example/a?b=c', 'https://joinery.example/a?b=c'],
  [
    'attachment',
    [{ id: 'f1', name: 'a.pdf', size: 10, mime: 'application/pdf' }],
    [{ id: 'f1', name: 'a.pdf', size: 10, mime: 'application/pdf' }],
  ],
  [
    'image',
    [{ id: 'f1', name: 'a.png', size: 10, mime: 'image/png' }],
    [{ id: 'f1', name: 'a.png', size: 10, mime: 'image/png' }],
  ],
  ['subform', [{ x: 1 }], [{ x: 1 }]],
  ['relation', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['serial', 'LA-20261122-0001', 'LA-20261122-0001'],
];

/** [type, input, broken rule] */
const refused: [string, unknown, string][] = [
  ['text', 42, 'type'],
  ['text', { $ne: null }, 'type'],
  ['text', ['a'], 'type'],
  ['text', 'a\u0000b', 'controlCharacters'],
  ['text', 'two\nlines', 'singleLine'],
  ['text', 'x'.repeat(1001), 'maxLength'],
  ['textarea', 'x'.repeat(50_001), 'maxLength'],
  ['number', '12abc', 'type'],
  ['number', '1; DROP TABLE customer; --', 'type'],
  ['number', Number.NaN, 'type'],
  ['number', Number.POSITIVE_INFINITY, 'type'],
  ['number', 0.1 + 0.2, 'scale'],
  ['number', 1e16, 'range'],
  ['number', true, 'type'],
  ['money', '12.345', 'scale'],
  ['money', 0.1 + 0.2, 'scale'],
  ['money', '1e5', 'type'],
  ['money', '10000000000000000.00', 'range'],
  ['money', '0x10', 'type'],
  ['money', ' ', 'type'],
  ['percent', '1.23456', 'scale'],
  ['date', '2023-02-29', 'format'],
  ['date', '2023-13-01', 'format'],
  ['date', "2023-01-01'; --", 'format'],
  ['date', 20230101, 'type'],
  ['datetime', '2026-11-22T08:00:00', 'format'],
  ['datetime', '2026-11-22T24:00:00Z', 'format'],
  ['select', 'z', 'options'],
  ['select', "a' OR '1'='1", 'options'],
  ['select', 1, 'type'],
  ['multiselect', 'a', 'type'],
  ['multiselect', ['a', 'z'], 'options'],
  ['multiselect', [['a']], 'type'],
  ['checkbox', 'true', 'type'],
  ['checkbox', 1, 'type'],
  ['user', '1', 'format'],
  ['user', "'; DROP TABLE users; --", 'format'],
  ['department', 42, 'type'],
  ['department', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', 'format'],
  ['mobile', '12800138000', 'format'],
  ['mobile', '1380013800', 'format'],
  ['mobile', 13800138000, 'type'],
  ['email', 'not-an-email', 'format'],
  ['email', 'a@b', 'format'],
  ['email', `${'a'.repeat(250)}@x.cn`, 'format'],
  ['national_id', '110105194912310021', 'checkDigit'],
  ['national_id', '110105194902300020', 'birthDate'],
  ['national_id', '11010519491231002', 'format'],
  ['bank_account', '1234', 'format'],
  ['bank_account', '6222-abc', 'format'],
  ['url', 'javascript:alert(1)', 'format'],
  ['url', 'ftp://x.cn/a', 'format'],
  ['url', 'not a url', 'format'],
  ['url', `https://x.cn/${'a'.repeat(2100)}`, 'maxLength'],
  ['attachment', [{ id: 'f1', name: 'a', size: 1 }], 'format'],
  ['attachment', [{ id: '../etc/passwd', name: 'a', size: 1, mime: 'text/plain' }], 'format'],
  ['attachment', [{ id: 'f1', name: 'a', size: 1, mime: 'text/plain', url: 'x' }], 'format'],
  ['attachment', [{ id: 'f1', name: 'a', size: 60 * 1024 * 1024, mime: 'text/plain' }], 'fileSize'],
  ['attachment', { id: 'f1' }, 'type'],
  ['image', [{ id: 'f1', name: 'a.exe', size: 10, mime: 'application/x-msdownload' }], 'fileType'],
  ['subform', { x: 1 }, 'type'],
  ['relation', 'customer-1', 'format'],
  ['serial', 7, 'type'],
];

describe('built-in field types', () => {
  it.each(accepted)('%s accepts %j', (type, input, expected) => {
    expect(bind(type).normalise(input)).toEqual({ ok: true, value: expected });
  });

  it.each(refused)('%s refuses %j', (type, input, rule) => {
    const result = bind(type).normalise(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rule).toBe(rule);
  });

  it('every type has at least one accepted and one refused example', () => {
    const computed = new Set(['formula', 'rollup', 'lookup']);
    for (const type of BUILT_IN_FIELD_TYPES) {
      if (computed.has(type.type)) continue;
      expect(
        accepted.some(([name]) => name === type.type),
        type.type,
      ).toBe(true);
      expect(
        refused.some(([name]) => name === type.type),
        type.type,
      ).toBe(true);
    }
  });

  it('declares column types, storage and rule types', () => {
    const columns = Object.fromEntries(
      BUILT_IN_FIELD_TYPES.map((type) => [type.type, bind(type.type).columnType]),
    );
    expect(columns).toMatchObject({
      money: 'numeric(18, 2)',
      multiselect: 'text[]',
      date: 'date',
      datetime: 'timestamptz(3)',
      checkbox: 'boolean',
      attachment: 'jsonb',
      relation: 'uuid',
      subform: null,
      lookup: null,
    });
    expect(bind('relation', { form: 'x', multiple: true }).storage).toBe('junction-table');
    expect(bind('subform').storage).toBe('child-table');
    expect(bind('money').ruleType).toBe('decimal');
  });

  it('turns what pg returns back into canonical values', () => {
    expect(bind('money').fromDb('12.50')).toBe('12.50');
    // What Postgres prints is kept as is; anything else goes through Decimal, as before.
    for (const [stored, shown] of [
      ['-0.50', '-0.50'],
      ['0.00', '0.00'],
      ['-0.00', '0.00'],
      ['9999999999999999.99', '9999999999999999.99'],
      ['12.5', '12.50'],
      ['007.10', '7.10'],
      [12.5, '12.50'],
    ] as const) {
      expect(bind('money').fromDb(stored)).toBe(shown);
    }
    expect(bind('number').fromDb('12.50')).toBe(12.5);
    expect(bind('date').fromDb(new Date(2024, 1, 29))).toBe('2024-02-29');
    expect(bind('datetime').fromDb(new Date('2026-01-01T00:00:00Z'))).toBe(
      '2026-01-01T00:00:00.000Z',
    );
    expect(bind('text').fromDb(null)).toBeNull();
  });

  it('reads plain money text without a Decimal exactly as through one', () => {
    const money = bind('money');
    const throughDecimal = (value: unknown) => {
      const parsed = parseDecimal(value, { integerDigits: 16, scale: 2 });
      return parsed.ok && parsed.value instanceof Decimal
        ? { ok: true, value: parsed.value.toFixed(2) }
        : parsed;
    };
    const inputs: unknown[] = [0, -0, 0.5, -12.3, 1234.56, 1e21, 0.1 + 0.2, Number.NaN];
    for (const sign of ['', '+', '-']) {
      for (const integer of ['0', '00', '7', '007', '1234', '9'.repeat(16), '1'.repeat(17)]) {
        for (const fraction of ['', '.', '.0', '.00', '.5', '.05', '.50', '.500', '.501']) {
          inputs.push(`${sign}${integer}${fraction}`, ` ${sign}${integer}${fraction} `);
        }
      }
    }
    inputs.push(`${'0'.repeat(39)}1.5`, `${'0'.repeat(41)}1.5`, '.5', '1.', '- 1', '１２');
    for (const input of inputs)
      expect([input, money.normalise(input)]).toEqual([input, throughDecimal(input)]);
  });

  it('computes formula results into their result type, null when they do not fit', () => {
    const money = bind('formula', { logic: 1, resultType: 'money' });
    expect(money.normalise(10 / 3)).toEqual({ ok: true, value: '3.33' });
    expect(money.normalise('abc')).toEqual({ ok: true, value: null });
    expect(money.normalise(Number.POSITIVE_INFINITY)).toEqual({ ok: true, value: null });
    expect(bind('formula', { logic: 1, resultType: 'boolean' }).normalise('x')).toEqual({
      ok: true,
      value: null,
    });
  });

  it('refuses a registry with a type twice or a version gap', () => {
    const text = fieldTypes.get('text', 1);
    expect(() => createFieldTypeRegistry([text, text])).toThrow(/twice/);
    const v2: FieldType = { ...text, version: 2 };
    const v3: FieldType = { ...text, version: 3 };
    expect(() => createFieldTypeRegistry([text, v3])).toThrow(/missing/);
    expect(createFieldTypeRegistry([text, v2]).latest('text')?.version).toBe(2);
    expect(() => fieldTypes.get('text', 99)).toThrow(/Unknown field type/);
  });
});
