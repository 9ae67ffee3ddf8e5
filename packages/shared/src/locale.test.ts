import { describe, expect, it } from 'vitest';
import { formatText, pickLocale } from './locale.ts';

describe('pickLocale', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR, en;q=0.5, zh;q=0.8', 'zh-CN'],
    ['fr-FR, en;q=0.9, zh;q=0.8', 'en'],
    ['de', 'zh-CN'],
    ['en;q=0, zh;q=0.1', 'zh-CN'],
  ])('%s → %s', (header, expected) => {
    expect(pickLocale(header)).toBe(expected);
  });
});

describe('formatText', () => {
  it('fills known placeholders and keeps unknown ones', () => {
    expect(formatText('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
