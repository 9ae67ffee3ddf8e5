import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MaskRule, maskValue } from './masking.ts';

describe('maskValue', () => {
  it.each([
    ['13812341234', 'phone', '138****1234'],
    ['11010119900307123X', 'national-id', '110***********123X'],
    ['6222021234567890123', 'bank-account', '***************0123'],
    ['张三', 'name', '张*'],
    ['张三丰', 'name', '张*丰'],
    ['欧阳小明', 'name', '欧**明'],
    ['Alice', 'name', 'A****'],
    ['li.wei@example.com', 'email', 'l*****@example.com'],
  ] as const)('%s by %s → %s', (value, rule, expected) => {
    expect(maskValue(value, rule)).toBe(expected);
  });

  it('applies custom rules and keeps empty values empty', () => {
    expect(maskValue('ABCDEFGH', { keepStart: 2, keepEnd: 2 })).toBe('AB****GH');
    expect(maskValue(null, 'phone')).toBeNull();
    expect(maskValue('', 'phone')).toBe('');
    expect(maskValue(['13812341234'], 'phone')).toEqual(['138****1234']);
  });

  it('always hides at least four characters (all but one of a short value)', () => {
    const rules = fc.constantFrom<MaskRule>('phone', 'national-id', 'bank-account', 'email', {
      keepStart: 4,
      keepEnd: 4,
    });
    // Values without '*' of their own, so every '*' in the result is a hidden character.
    const values = fc.string({ minLength: 1, maxLength: 40 }).filter((v) => !v.includes('*'));
    fc.assert(
      fc.property(values, rules, (value, rule) => {
        const masked = String(maskValue(value, rule));
        const visible = Array.from(masked).filter((c) => c !== '*').length;
        if (rule === 'email' && value.includes('@')) return true;
        expect(visible).toBeLessThanOrEqual(Math.max(1, Array.from(value).length - 4));
        return true;
      }),
    );
  });
});
