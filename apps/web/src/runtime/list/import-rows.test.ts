import type { FormDefinition } from '@joinery/forms';
import { describe, expect, it } from 'vitest';
import { runtimeFields } from '../field-model.ts';
import { guessMapping } from './import-rows.ts';

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const form: FormDefinition = {
  key: 'f',
  label: label('表', 'Form'),
  version: 1,
  fields: [
    {
      id: '1',
      key: 'name',
      type: 'text',
      label: label('姓名', 'Name'),
      validations: { required: true },
    },
    { id: '2', key: 'amount', type: 'money', label: label('金额', 'Amount') },
    {
      id: '3',
      key: 'tags',
      type: 'multiselect',
      label: label('标签', 'Tags'),
      config: {
        options: [
          { value: 'vip', label: label('重要', 'VIP') },
          { value: 'new', label: label('新', 'New') },
        ],
      },
    },
    { id: '4', key: 'ok', type: 'checkbox', label: label('有效', 'Valid') },
    {
      id: '5',
      key: 'reason',
      type: 'text',
      label: label('原因', 'Reason'),
      rules: { requiredWhen: { '==': [{ var: 'ok' }, false] } },
    },
  ],
};
const fields = runtimeFields(form);

describe('CSV import', () => {
  it('maps columns named by a label in either language or by key', () => {
    expect(guessMapping(['姓名', 'Amount', 'tags', 'other'], fields)).toEqual({
      姓名: 'name',
      Amount: 'amount',
      tags: 'tags',
      other: null,
    });
  });
});
