import { describe, expect, it } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import {
  allowedEdits,
  assertAllowedEdits,
  fieldPermissionsOf,
  visibleFields,
} from './field-permissions.ts';
import { lendingApprovalDefinition } from './fixtures/lending-approval.ts';

describe('field permissions', () => {
  const permissions = {
    visible: ['amount', 'term', 'notes'],
    hidden: ['notes'],
    editable: ['term', 'score'],
  };
  it('allows only editable, non-hidden fields, naming the others', () => {
    expect(allowedEdits(permissions, { term: 12 })).toEqual({ ok: true });
    expect(allowedEdits(permissions, { term: 12, amount: 1, notes: 'x' })).toEqual({
      ok: false,
      fields: ['amount', 'notes'],
    });
    expect(allowedEdits(undefined, { a: 1 })).toEqual({ ok: false, fields: ['a'] });
    expect(() => assertAllowedEdits(permissions, { amount: 1 })).toThrow(/amount/);
  });
  it('computes the visible fields', () => {
    expect(visibleFields(permissions, ['amount', 'term', 'notes', 'score', 'secret'])).toEqual([
      'amount',
      'term',
      'score',
    ]);
    expect(visibleFields({ hidden: ['secret'] }, ['amount', 'secret'])).toEqual(['amount']);
    expect(visibleFields(undefined, ['amount'])).toEqual(['amount']);
  });
  it('reads the permissions of a step of a compiled workflow', () => {
    const workflow = compileWorkflow(lendingApprovalDefinition());
    expect(fieldPermissionsOf(workflow, 'first-review')?.hidden).toEqual(['bankAccount']);
    expect(fieldPermissionsOf(workflow, 'route')).toBeUndefined();
  });
});
