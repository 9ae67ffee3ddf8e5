import { describe, expect, it } from 'vitest';
import { combineFilters } from './linked-filter.ts';

describe('combineFilters', () => {
  const built = { '==': [{ var: 'grade' }, 'A'] };
  const linked = '{"==":[{"var":"channel"},"web"]}';

  it('takes either filter alone, and both together with `and`', () => {
    expect(combineFilters(undefined, undefined)).toBeUndefined();
    expect(combineFilters(undefined, built)).toBe(JSON.stringify(built));
    expect(combineFilters(linked, undefined)).toBe(linked);
    expect(JSON.parse(combineFilters(linked, built) ?? '')).toEqual({
      and: [JSON.parse(linked), built],
    });
  });

  it('passes a URL filter that is not JSON on for the server to refuse', () => {
    expect(combineFilters('{oops', built)).toBe('{oops');
  });
});
