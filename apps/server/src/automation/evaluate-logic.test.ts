import { describe, expect, it } from 'vitest';
import { evaluateValues, fillTemplate } from './evaluate-logic.ts';

describe('values and templates of actions', () => {
  it('evaluates each value as JSON-logic over the record, with $old and $user', () => {
    const values = Object.freeze({
      copy: { var: 'amount' },
      constant: 'fixed',
      before: { var: '$old.amount' },
      who: { var: '$user.id' },
    });
    expect(
      evaluateValues(values, { amount: 5 }, { old: { amount: 3 }, new: null, user: { id: 'u1' } }),
    ).toEqual({ copy: 5, constant: 'fixed', before: 3, who: 'u1' });
  });

  it('fills {field} placeholders from the record, leaving missing ones empty', () => {
    expect(fillTemplate('Follow up {name} ({grade}){missing}', { name: '李雷', grade: 'A' })).toBe(
      'Follow up 李雷 (A)',
    );
    expect(fillTemplate('{tags}', { tags: ['vip'] })).toBe('["vip"]');
    expect(fillTemplate('{constructor}{__proto__}', {})).toBe('');
    expect(fillTemplate('no record {x}', null)).toBe('no record ');
  });
});
