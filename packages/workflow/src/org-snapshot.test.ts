import { describe, expect, it } from 'vitest';
import { actsFor, delegateOf, isAdmin, managerOf, membersOfRole } from './org-snapshot.ts';
import { lendingOrg } from './testing/org-fixture.ts';

describe('org snapshot', () => {
  const org = lendingOrg({
    delegations: [
      { from: 'rev1', to: 'rev2', start: '2026-11-01T00:00:00Z', end: '2026-11-10T00:00:00Z' },
      { from: 'rev2', to: 'rev3', start: '2026-11-01T00:00:00Z', end: '2026-11-10T00:00:00Z' },
      { from: 'rev3', to: 'rev1', start: '2026-11-05T00:00:00Z', end: '2026-11-06T00:00:00Z' },
    ],
  });
  it('walks managers up the department tree, skipping oneself', () => {
    expect(managerOf(org, 'sales1')).toBe('east-boss');
    expect(managerOf(org, 'sales1', 2)).toBe('sales-boss');
    expect(managerOf(org, 'east-boss')).toBe('sales-boss');
    expect(managerOf(org, 'ceo')).toBeUndefined();
    expect(managerOf(org, 'fin1')).toBe('ceo');
    expect(managerOf(org, 'sales1', 9)).toBeUndefined();
  });
  it('follows delegations in force, stopping at cycles', () => {
    expect(delegateOf(org, 'rev1', '2026-11-02T00:00:00Z')).toBe('rev3');
    expect(delegateOf(org, 'rev1', '2026-11-10T00:00:00Z')).toBe('rev1');
    expect(delegateOf(org, 'rev1', '2026-11-05T12:00:00Z')).toBe('rev3');
    expect(actsFor(org, 'rev3', 'rev1', '2026-11-02T00:00:00Z')).toBe(true);
    expect(actsFor(org, 'rev3', 'rev1', '2026-11-20T00:00:00Z')).toBe(false);
  });
  it('lists role members and admins', () => {
    expect(membersOfRole(org, 'reviewer')).toEqual(['rev1', 'rev2', 'rev3']);
    expect(isAdmin(org, 'admin')).toBe(true);
    expect(isAdmin(org, 'rev1')).toBe(false);
  });
});
