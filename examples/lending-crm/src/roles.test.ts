import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppPermission, type FormAction, formAccess } from '@joinery/access';
import { compileLogic } from '@joinery/rules';
import { describe, expect, it } from 'vitest';
import { LENDING_APP_DIR, LENDING_APP_KEY, type LendingRole } from './template.ts';

const FORMS = [
  'customer',
  'follow_up',
  'product',
  'loan_application',
  'contract',
  'disbursement',
  'repayment',
  'collection_case',
  'channel_spend',
] as const;
type Form = (typeof FORMS)[number];

/** What one role may do on a form, merged by the access engine from the role's file. */
function access(role: LendingRole, form: Form) {
  const file = JSON.parse(readFileSync(join(LENDING_APP_DIR, 'roles', `${role}.json`), 'utf8')) as {
    permissions: AppPermission;
  };
  return formAccess([{ apps: { [LENDING_APP_KEY]: file.permissions } }], LENDING_APP_KEY, form);
}
const actions = (role: LendingRole, form: Form) => [...access(role, form).actions].sort();
/** Whether the role's `view` scope lets `user` see `record` (evaluated by the rule engine). */
function sees(role: LendingRole, form: Form, record: Record<string, unknown>, userId = 'u1') {
  const scope = access(role, form).scope('view' satisfies FormAction);
  if (typeof scope === 'boolean') return scope;
  return Boolean(compileLogic(scope)(record, { user: { id: userId } }));
}
const write = (role: LendingRole, form: Form, field: string) => access(role, form).canWrite(field);
const unmask = (role: LendingRole, form: Form, field: string) =>
  access(role, form).canUnmask(field);

describe('the template roles, against the spec role by role', () => {
  it('sales: own customers and applications; enters leads and follow-ups, submits applications', () => {
    expect(actions('sales', 'customer')).toEqual(['create', 'edit', 'view']);
    expect(actions('sales', 'loan_application')).toEqual(['create', 'edit', 'view']);
    expect(actions('sales', 'follow_up')).toEqual(['create', 'edit', 'view']);
    expect(sees('sales', 'customer', { owner: 'u1' })).toBe(true);
    expect(sees('sales', 'customer', { owner: 'u2' })).toBe(false);
    expect(sees('sales', 'loan_application', { owner: 'u2' })).toBe(false);
    expect(write('sales', 'loan_application', 'credit_score')).toBe(false);
    expect(actions('sales', 'collection_case')).toEqual([]);
    expect(actions('sales', 'disbursement')).toEqual([]);
  });

  it('reviewer: applications under review, credit score editable, bank account hidden', () => {
    expect(sees('reviewer', 'loan_application', { status: 'in_review' })).toBe(true);
    expect(sees('reviewer', 'loan_application', { status: 'draft' })).toBe(false);
    expect(write('reviewer', 'loan_application', 'credit_score')).toBe(true);
    expect(write('reviewer', 'loan_application', 'amount')).toBe(false);
    expect(access('reviewer', 'loan_application').canRead('bank_account')).toBe(false);
    expect(actions('reviewer', 'disbursement')).toEqual([]);
  });

  it('risk: sees every application and customer, sets risk levels and flags only', () => {
    expect(sees('risk', 'loan_application', { status: 'draft' })).toBe(true);
    expect(write('risk', 'customer', 'risk_level')).toBe(true);
    expect(write('risk', 'customer', 'name')).toBe(false);
    expect(write('risk', 'loan_application', 'risk_flag')).toBe(true);
  });

  it('compliance: reviews applications, may unmask national IDs for AML checks', () => {
    expect(actions('compliance', 'loan_application')).toEqual(['view']);
    expect(unmask('compliance', 'customer', 'id_number')).toBe(true);
    expect(unmask('compliance', 'customer', 'mobile')).toBe(false);
  });

  it('committee: reads applications under review, nothing else to change', () => {
    expect(actions('committee', 'loan_application')).toEqual(['view']);
    expect(sees('committee', 'loan_application', { status: 'in_review' })).toBe(true);
    expect(sees('committee', 'loan_application', { status: 'disbursed' })).toBe(false);
  });

  it('finance: disburses and records repayments, sees bank accounts in clear', () => {
    expect(actions('finance', 'disbursement')).toEqual(['create', 'edit', 'view']);
    expect(actions('finance', 'repayment')).toEqual(['create', 'edit', 'view']);
    expect(unmask('finance', 'disbursement', 'bank_account')).toBe(true);
    expect(sees('finance', 'loan_application', { status: 'approved' })).toBe(true);
    expect(sees('finance', 'loan_application', { status: 'in_review' })).toBe(false);
  });

  it('collector: only the collection cases assigned to them', () => {
    for (const form of FORMS) {
      if (form !== 'collection_case') expect(actions('collector', form)).toEqual([]);
    }
    expect(sees('collector', 'collection_case', { collector: 'u1' }, 'u1')).toBe(true);
    expect(sees('collector', 'collection_case', { collector: 'u2' }, 'u1')).toBe(false);
    expect(write('collector', 'collection_case', 'promise_date')).toBe(true);
    expect(write('collector', 'collection_case', 'overdue_days')).toBe(false);
  });

  it('support: read-only 360° view, sensitive fields masked', () => {
    for (const form of ['customer', 'loan_application', 'contract', 'repayment'] as const) {
      expect(actions('support', form)).toEqual(['view']);
      expect(sees('support', form, { owner: 'someone' })).toBe(true);
    }
    expect(unmask('support', 'customer', 'mobile')).toBe(false);
    expect(unmask('support', 'customer', 'id_number')).toBe(false);
    expect(write('support', 'customer', 'name')).toBe(false);
  });

  it('manager: every record read-only and masked, exports for dashboards', () => {
    for (const form of FORMS) {
      expect(actions('manager', form)).toEqual(['export', 'view']);
      expect(sees('manager', form, { owner: 'someone' })).toBe(true);
      expect(unmask('manager', form, 'mobile')).toBe(false);
    }
  });

  it('admin: designer and everything else', () => {
    for (const form of FORMS) {
      expect(actions('admin', form)).toEqual([
        'create',
        'delete',
        'edit',
        'export',
        'import',
        'view',
      ]);
      expect(unmask('admin', form, 'id_number')).toBe(true);
    }
  });
});
