import { isJoineryError } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { field, label, lendingApp } from '../testing/lending-app.fixture.ts';
import {
  parseAppDefinition,
  validateAppDefinition,
  validateFormDefinition,
} from './validate-app-definition.ts';

function problemsOf(input: unknown) {
  const result = validateAppDefinition(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const withForm = (fields: unknown[]) => ({
  ...lendingApp,
  forms: [{ key: 'f', label: label('表', 'F'), version: 1, fields }],
});

describe('validateAppDefinition', () => {
  it('accepts the lending app, stamps type versions and freezes it', () => {
    const result = validateAppDefinition(lendingApp);
    if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
    expect(result.value.forms[0]?.fields[0]?.typeVersion).toBe(1);
    expect(Object.isFrozen(result.value.forms[0]?.fields[0])).toBe(true);
    expect(lendingApp.forms[0]?.fields[0]).not.toHaveProperty('typeVersion');
  });

  it('points at a missing property and an unknown one, in both languages', () => {
    const problems = problemsOf({
      key: 'x',
      label: label('甲', 'X'),
      forms: [{ key: 'f', version: 1, fields: [], extra: 1 }],
    });
    const pointers = problems.map((problem) => problem.pointer);
    expect(pointers).toContain('/forms/0/label');
    expect(pointers).toContain('/forms/0/extra');
    const missing = problems.find((problem) => problem.pointer === '/forms/0/label');
    expect(missing?.message.en).toMatch(/must have required property/);
    expect(missing?.message['zh-CN']).toMatch(/应当有必需属性|必需/);
  });

  it.each([
    ['Name', 'pattern'],
    ['1abc', 'pattern'],
    ['a'.repeat(64), 'pattern'],
    ['drop table', 'pattern'],
    ['x"; drop', 'pattern'],
    ['select', 'reservedKey'],
    ['id', 'systemKey'],
    ['created_at', 'systemKey'],
    ['xmin', 'reservedKey'],
  ])('refuses the field key %j (%s)', (key, reason) => {
    const problems = problemsOf(withForm([field('x1', key, 'text')]));
    expect(problems.map((problem) => problem.reason)).toContain(reason);
  });

  it('refuses duplicate keys and ids, unknown types, configs and validations', () => {
    const problems = problemsOf(
      withForm([
        field('x1', 'a', 'text'),
        field('x1', 'a', 'text'),
        field('x2', 'b', 'no_such_type'),
        field('x3', 'c', 'money', { config: { currency: 'yuan' } }),
        field('x4', 'd', 'checkbox', { validations: { pattern: 'a' } }),
        field('x5', 'e', 'text', { validations: { pattern: '(a+)+$' } }),
        field('x6', 'g', 'number', { validations: { min: 10, max: 1 } }),
        field('x7', 'h', 'formula', { config: { resultType: 'number', logic: { nope: [1] } } }),
        field('x8', 'i', 'serial', { config: { pattern: 'X-{YYYY}' } }),
      ]),
    );
    const byPointer = Object.fromEntries(
      problems.map((problem) => [problem.pointer, problem.reason]),
    );
    expect(byPointer).toMatchObject({
      '/forms/0/fields/1/key': 'duplicateKey',
      '/forms/0/fields/1/id': 'duplicateId',
      '/forms/0/fields/2/type': 'unknownType',
      '/forms/0/fields/3/config/currency': 'pattern',
      '/forms/0/fields/4/validations/pattern': 'validationNotApplicable',
      '/forms/0/fields/5/validations/pattern': 'unsafePattern',
      '/forms/0/fields/6/validations': 'minAboveMax',
      '/forms/0/fields/7/config/logic': 'badLogic',
      '/forms/0/fields/8/config/pattern': 'badSerialPattern',
    });
  });

  it('checks references: relation targets, lookups, rollups and subforms', () => {
    const problems = problemsOf(
      withForm([
        field('r1', 'rel', 'relation', { config: { form: 'nowhere' } }),
        field('r2', 'look', 'lookup', { config: { relation: 'missing', field: 'x' } }),
        field('r3', 'roll', 'rollup', { config: { aggregate: 'sum', subform: 'rel' } }),
        field('r4', 'rows', 'subform', {
          fields: [field('s1', 'inner', 'subform', { fields: [field('s2', 'x', 'text')] })],
        }),
        field('r5', 'plain', 'text', { fields: [field('s3', 'x', 'text')] }),
      ]),
    );
    const reasons = problems.map((problem) => `${problem.pointer} ${problem.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        '/forms/0/fields/0/config/form unknownForm',
        '/forms/0/fields/1/config/relation unknownField',
        '/forms/0/fields/2/config/subform wrongFieldType',
        '/forms/0/fields/3/fields/0/type notAllowedInSubform',
        '/forms/0/fields/4/fields fieldsOnlyForSubform',
      ]),
    );
  });

  it('refuses rules and formulas that read fields the form does not have', () => {
    const problems = problemsOf(
      withForm([
        field('v1', 'amount', 'money'),
        field('v2', 'note', 'text', { rules: { visibleWhen: { '>': [{ var: 'amout' }, 1] } } }),
        field('v3', 'twice', 'formula', {
          config: {
            resultType: 'money',
            logic: { '*': [{ var: 'amount' }, { var: ['rate', 1] }] },
          },
        }),
        field('v4', 'mine', 'checkbox', {
          rules: { readOnlyWhen: { '==': [{ var: 'owner' }, { var: '$user.id' }] } },
        }),
      ]),
    );
    expect(
      problems.map((problem) => `${problem.pointer} ${problem.reason} ${problem.message.en}`),
    ).toEqual([
      '/forms/0/fields/1/rules/visibleWhen unknownField There is no field "amout"',
      '/forms/0/fields/2/config/logic unknownField There is no field "rate"',
    ]);
  });

  it('throws a catalogue error with localized field problems', () => {
    try {
      parseAppDefinition({ key: 'Bad', label: label('a', 'a'), forms: [] }, 'en');
      expect.unreachable();
    } catch (error) {
      expect(isJoineryError(error) && error.code).toBe('JNY_FORM_DEFINITION_INVALID');
      expect(isJoineryError(error) && error.fields[0]?.field).toBe('/key');
    }
  });

  it('survives hostile documents without throwing', () => {
    for (const input of [null, 42, 'x', [], { key: { $ne: 1 } }, { __proto__: { key: 'a' } }]) {
      expect(validateAppDefinition(input).ok).toBe(false);
    }
    const huge = withForm(Array.from({ length: 501 }, (_, i) => field(`x${i}`, `f${i}`, 'text')));
    expect(problemsOf(huge).map((problem) => problem.reason)).toContain('maxItems');
  });

  it('validates one form alone, with sibling forms for references', () => {
    const [customer, application] = lendingApp.forms;
    if (!customer || !application) throw new Error('fixture');
    expect(validateFormDefinition(application, { forms: [customer] }).ok).toBe(true);
    expect(validateFormDefinition(application, { forms: [] }).ok).toBe(false);
  });
});
