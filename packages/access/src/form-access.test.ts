import { compileLogic } from '@joinery/rules';
import { describe, expect, it } from 'vitest';
import { FULL_ACCESS, formAccess } from './form-access.ts';
import type { RolePermissions } from './role-permissions.ts';

const sales: RolePermissions = {
  apps: {
    crm: {
      forms: {
        customer: {
          actions: ['view', 'create', 'edit'],
          rows: 'own',
          fields: { mobile: { read: true, unmask: false } },
        },
      },
    },
  },
};
const support: RolePermissions = {
  apps: {
    crm: { forms: { '*': { actions: ['view'], rows: 'all', fields: { '*': { write: false } } } } },
  },
};
const collector: RolePermissions = {
  apps: {
    crm: {
      forms: {
        collection: {
          actions: ['view', 'edit'],
          rows: { logic: { '==': [{ var: 'collector' }, { var: '$user.id' }] } },
          fields: { amount: { write: false } },
        },
      },
    },
  },
};
const manager: RolePermissions = {
  apps: {
    crm: {
      forms: {
        customer: {
          actions: ['view', 'export'],
          rows: 'department-tree',
          fields: { mobile: { unmask: true } },
        },
      },
    },
  },
};

const user = { id: 'u1', departmentMemberIds: ['u1', 'u2'], subtreeMemberIds: ['u1', 'u2', 'u3'] };
const rows = [
  { owner: 'u1', collector: 'u9' },
  { owner: 'u2', collector: 'u1' },
  { owner: 'u3', collector: 'u1' },
  { owner: 'u4', collector: null },
];
function visible(scope: unknown): string[] {
  if (scope === true) return rows.map((r) => r.owner);
  if (scope === false) return [];
  const test = compileLogic(scope);
  return rows.filter((row) => test(row, { user })).map((r) => r.owner);
}

describe('formAccess', () => {
  it('gives nothing without a grant', () => {
    const access = formAccess([sales], 'crm', 'product');
    expect([...access.actions]).toEqual([]);
    expect(access.scope('view')).toBe(false);
    expect(access.canRead('name')).toBe(false);
  });

  it('scopes a salesperson to own rows and keeps masked fields masked', () => {
    const access = formAccess([sales], 'crm', 'customer');
    expect(access.actions.has('delete')).toBe(false);
    expect(visible(access.scope('view'))).toEqual(['u1']);
    expect(access.canRead('mobile')).toBe(true);
    expect(access.canUnmask('mobile')).toBe(false);
  });

  it('unions scopes and rights across roles', () => {
    const access = formAccess([sales, manager], 'crm', 'customer');
    expect(visible(access.scope('view'))).toEqual(['u1', 'u2', 'u3']);
    expect(visible(access.scope('edit'))).toEqual(['u1']);
    expect(visible(access.scope('export'))).toEqual(['u1', 'u2', 'u3']);
    expect(access.canUnmask('mobile')).toBe(true);
  });

  it('applies wildcard forms and fields', () => {
    const access = formAccess([support], 'crm', 'anything');
    expect(access.scope('view')).toBe(true);
    expect(access.canWrite('name')).toBe(false);
    expect(access.actions.has('edit')).toBe(false);
  });

  it('supports JSON-logic scopes over $user', () => {
    const access = formAccess([collector], 'crm', 'collection');
    expect(visible(access.scope('view'))).toEqual(['u2', 'u3']);
    expect(access.canWrite('amount')).toBe(false);
    expect(access.canWrite('status')).toBe(true);
  });

  it('finds no grant on Object.prototype for keys like constructor', () => {
    const hidden: RolePermissions = {
      apps: {
        crm: {
          forms: {
            '*': { actions: ['view', 'edit'], fields: { '*': { read: false, write: false } } },
          },
        },
      },
    };
    const access = formAccess([hidden], 'crm', 'constructor');
    expect([...access.actions].sort()).toEqual(['edit', 'view']);
    for (const field of ['constructor', '__proto__', 'toString']) {
      expect(access.canRead(field), field).toBe(false);
      expect(access.canWrite(field), field).toBe(false);
    }
    expect(formAccess([sales], 'constructor', 'customer').actions.size).toBe(0);
  });

  it('lets no one write a field hidden from them unless the grant says so', () => {
    const blind: RolePermissions = {
      apps: {
        crm: {
          forms: {
            loan: {
              actions: ['view', 'edit'],
              fields: { collateral: { read: false }, pin: { read: false, write: true } },
            },
          },
        },
      },
    };
    const access = formAccess([blind], 'crm', 'loan');
    expect(access.canWrite('collateral')).toBe(false);
    expect(access.canWrite('pin')).toBe(true);
    expect(access.canWrite('amount')).toBe(true);
  });

  it('gives administrators everything', () => {
    expect(FULL_ACCESS.scope('delete')).toBe(true);
    expect(FULL_ACCESS.canUnmask('x')).toBe(true);
  });
});
