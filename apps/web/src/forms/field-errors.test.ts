import { describe, expect, it } from 'vitest';
import { pointerToPath, splitFieldProblems } from './field-errors.ts';

describe('pointerToPath', () => {
  it('turns a JSON pointer into a form path with numeric indexes', () => {
    expect(pointerToPath('/username')).toEqual(['username']);
    expect(pointerToPath('/items/0/amount')).toEqual(['items', 0, 'amount']);
    expect(pointerToPath('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerToPath('/codes/007')).toEqual(['codes', '007']);
  });

  it('has no path for the whole body', () => {
    expect(pointerToPath('')).toBeUndefined();
    expect(pointerToPath('/')).toBeUndefined();
  });
});

describe('splitFieldProblems', () => {
  it('puts problems of known fields on the fields and keeps the rest apart', () => {
    const { onFields, elsewhere } = splitFieldProblems(
      [
        { field: '/username', reason: 'too short' },
        { field: '/username', reason: 'bad characters' },
        { field: '/password', reason: 'required' },
        { field: '/extra', reason: 'not allowed' },
        { field: '', reason: 'body must be an object' },
      ],
      ['username', 'password'],
    );
    expect(onFields).toEqual([
      { name: ['username'], errors: ['too short', 'bad characters'] },
      { name: ['password'], errors: ['required'] },
    ]);
    expect(elsewhere.map((p) => p.field)).toEqual(['/extra', '']);
  });
});
