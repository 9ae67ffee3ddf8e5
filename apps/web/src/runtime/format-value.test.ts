import type { FormDefinition } from '@joinery/forms';
import { describe, expect, it } from 'vitest';
import { runtimeFields } from './field-model.ts';
import { formatValue, groupDecimal } from './format-value.ts';

const label = (text: string) => ({ 'zh-CN': text, en: text });
const form: FormDefinition = {
  key: 'f',
  label: label('f'),
  version: 1,
  fields: [
    { id: '1', key: 'amount', type: 'money', label: label('amount') },
    { id: '2', key: 'rate', type: 'percent', label: label('rate') },
    {
      id: '3',
      key: 'grade',
      type: 'select',
      label: label('grade'),
      config: { options: [{ value: 'A', label: { 'zh-CN': 'A 类', en: 'Class A' } }] },
    },
    {
      id: '4',
      key: 'fee',
      type: 'formula',
      label: label('fee'),
      config: { resultType: 'money', logic: { var: 'amount' } },
    },
  ],
};
const [amount, rate, grade, fee] = runtimeFields(form);

describe('formatValue', () => {
  it('groups decimal strings without going through a float', () => {
    expect(groupDecimal('12345678901234567.89')).toBe('12,345,678,901,234,567.89');
    expect(groupDecimal('-1000')).toBe('-1,000');
  });

  it('shows money, percent, options and formula results as users read them', () => {
    if (!amount || !rate || !grade || !fee) throw new Error('fields missing');
    expect(formatValue(amount, '20000.00', 'zh-CN')).toBe('¥20,000.00');
    expect(formatValue(rate, '1.5', 'en')).toBe('1.5%');
    expect(formatValue(grade, 'A', 'en')).toBe('Class A');
    expect(formatValue(fee, '300.00', 'zh-CN')).toBe('¥300.00');
    expect(formatValue(amount, null, 'zh-CN')).toBe('');
  });
});
