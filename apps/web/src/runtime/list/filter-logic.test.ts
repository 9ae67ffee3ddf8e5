import type { FormDefinition } from '@joinery/forms';
import { describe, expect, it } from 'vitest';
import { runtimeFields } from '../field-model.ts';
import { filterToLogic, operatorsFor } from './filter-logic.ts';

const label = (text: string) => ({ 'zh-CN': text, en: text });
const form: FormDefinition = {
  key: 'f',
  label: label('f'),
  version: 1,
  fields: [
    { id: '1', key: 'name', type: 'text', label: label('name') },
    { id: '2', key: 'amount', type: 'money', label: label('amount') },
    { id: '3', key: 'count', type: 'number', label: label('count') },
    {
      id: '4',
      key: 'grade',
      type: 'select',
      label: label('grade'),
      config: { options: [{ value: 'A', label: label('A') }] },
    },
    { id: '5', key: 'owner', type: 'user', label: label('owner') },
    { id: '6', key: 'vip', type: 'checkbox', label: label('vip') },
    {
      id: '7',
      key: 'total',
      type: 'formula',
      label: label('total'),
      config: { resultType: 'money', logic: { var: 'amount' } },
    },
    { id: '8', key: 'docs', type: 'attachment', label: label('docs') },
    { id: '9', key: 'id_number', type: 'national_id', label: label('id'), sensitive: true },
  ],
};
const fields = runtimeFields(form);

describe('filterToLogic', () => {
  it('offers operators by the field type the server filters by', () => {
    const kinds = Object.fromEntries(fields.map((f) => [f.key, f.filterKind]));
    expect(kinds).toMatchObject({
      name: 'text',
      amount: 'decimal',
      count: 'number',
      grade: 'choice',
      owner: 'reference',
      vip: 'boolean',
      docs: null,
    });
    expect(operatorsFor('boolean')).toEqual(['isTrue', 'isFalse']);
  });

  it('offers only equality on encrypted personal data, and no sort', () => {
    const idNumber = fields.find((f) => f.key === 'id_number');
    expect(idNumber).toMatchObject({ filterKind: 'exact', sortable: false });
    expect(operatorsFor('exact')).toEqual(['eq', 'ne', 'empty', 'notEmpty']);
    expect(fields.find((f) => f.key === 'name')?.sortable).toBe(true);
  });

  it('joins complete conditions with and/or, and keeps money as decimal strings', () => {
    expect(
      filterToLogic(
        {
          match: 'all',
          conditions: [
            { field: 'grade', operator: 'eq', value: 'A' },
            { field: 'amount', operator: 'gte', value: '20000' },
            { field: 'count', operator: 'lt', value: '5' },
            { field: 'name', operator: 'contains', value: '' },
          ],
        },
        fields,
      ),
    ).toEqual({
      and: [
        { '==': [{ var: 'grade' }, 'A'] },
        { '>=': [{ var: 'amount' }, '20000'] },
        { '<': [{ var: 'count' }, 5] },
      ],
    });
  });

  it('has value-less operators, and drops conditions on fields it cannot filter', () => {
    expect(
      filterToLogic(
        {
          match: 'any',
          conditions: [
            { field: 'owner', operator: 'isMe' },
            { field: 'name', operator: 'empty' },
            { field: 'docs', operator: 'eq', value: 'x' },
          ],
        },
        fields,
      ),
    ).toEqual({
      or: [{ '==': [{ var: 'owner' }, { var: '$user.id' }] }, { '==': [{ var: 'name' }, null] }],
    });
    expect(filterToLogic({ match: 'all', conditions: [] }, fields)).toBeUndefined();
  });
});
