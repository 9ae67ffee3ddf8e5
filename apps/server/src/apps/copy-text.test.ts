import { describe, expect, it } from 'vitest';
import { copyText } from './copy-text.ts';

describe('copyText', () => {
  it('writes null as \\N and plain values as their text', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(undefined)).toBe('\\N');
    expect(copyText(12)).toBe('12');
    expect(copyText('王芳')).toBe('王芳');
    expect(copyText(true)).toBe('true');
  });

  it('escapes what would end a field or a line', () => {
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  });

  it('writes arrays as quoted array literals and objects as JSON', () => {
    expect(copyText(['vip', 'a"b', 'c\\d'])).toBe('{"vip","a\\\\"b","c\\\\\\\\d"}');
    expect(copyText({ from: null, to: 'x\ty' })).toBe('{"from":null,"to":"x\\\\ty"}');
  });
});
