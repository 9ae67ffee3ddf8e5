import type { OrgSnapshot, OrgUser } from '../org-snapshot.ts';

/**
 * A small organisation for tests: a head office managed by `ceo`, a credit department (manager
 * `credit-boss`) with reviewers, risk, compliance, a committee of three, sales and finance.
 */
export function lendingOrg(overrides: Partial<OrgSnapshot> = {}): OrgSnapshot {
  const users: OrgUser[] = [
    { id: 'ceo', roles: ['manager'], departmentId: 'hq' },
    { id: 'admin', roles: ['admin'], departmentId: 'hq' },
    { id: 'credit-boss', roles: ['manager'], departmentId: 'credit' },
    { id: 'rev1', roles: ['reviewer'], departmentId: 'credit' },
    { id: 'rev2', roles: ['reviewer'], departmentId: 'credit' },
    { id: 'rev3', roles: ['reviewer'], departmentId: 'credit' },
    { id: 'risk1', roles: ['risk'], departmentId: 'credit' },
    { id: 'comp1', roles: ['compliance'], departmentId: 'credit' },
    { id: 'com1', roles: ['committee'], departmentId: 'hq' },
    { id: 'com2', roles: ['committee'], departmentId: 'hq' },
    { id: 'com3', roles: ['committee'], departmentId: 'hq' },
    { id: 'sales-boss', roles: ['manager'], departmentId: 'sales' },
    { id: 'sales1', roles: ['sales'], departmentId: 'sales-east' },
    { id: 'sales2', roles: ['sales'], departmentId: 'sales-east' },
    { id: 'east-boss', roles: ['manager'], departmentId: 'sales-east' },
    { id: 'fin1', roles: ['finance'], departmentId: 'finance' },
  ];
  return {
    users: Object.fromEntries(users.map((u) => [u.id, u])),
    departments: {
      hq: { id: 'hq', managerId: 'ceo' },
      credit: { id: 'credit', parentId: 'hq', managerId: 'credit-boss' },
      sales: { id: 'sales', parentId: 'hq', managerId: 'sales-boss' },
      'sales-east': { id: 'sales-east', parentId: 'sales', managerId: 'east-boss' },
      finance: { id: 'finance', parentId: 'hq' },
    },
    delegations: [],
    admins: ['admin'],
    ...overrides,
  };
}
