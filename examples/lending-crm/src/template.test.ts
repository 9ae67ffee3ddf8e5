import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RolePermissions, rolePermissionsSchema } from '@joinery/access';
import { type FormDefinition, validateAppDefinition } from '@joinery/forms';
import { validateAutomationRule } from '@joinery/rules';
import { validateWorkflow } from '@joinery/workflow';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { LENDING_APP_DIR, LENDING_ROLES } from './template.ts';

const read = (path: string): unknown =>
  JSON.parse(readFileSync(join(LENDING_APP_DIR, path), 'utf8'));
const files = (folder: string) =>
  readdirSync(join(LENDING_APP_DIR, folder))
    .filter((name) => name.endsWith('.json'))
    .sort();
const manifest = read('app.json') as { key: string; label: unknown; forms: string[] };
const forms = manifest.forms.map((key) => read(`forms/${key}.json`) as FormDefinition);

/** The object keys at every level that are out of order (the files keep keys sorted). */
function unsortedKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unsortedKeys(item, `${path}/${i}`));
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  const own = keys.join() === [...keys].sort().join() ? [] : [path || '/'];
  return own.concat(
    keys.flatMap((key) => unsortedKeys((value as Record<string, unknown>)[key], `${path}/${key}`)),
  );
}

describe('the lending CRM template', () => {
  it('has every form of the spec, each file listed in app.json', () => {
    expect(files('forms')).toEqual(manifest.forms.map((key) => `${key}.json`).sort());
    expect(manifest.forms).toEqual([
      'customer',
      'follow_up',
      'product',
      'loan_application',
      'contract',
      'disbursement',
      'repayment',
      'collection_case',
      'channel_spend',
    ]);
  });

  it('validates as an app definition with the form engine', () => {
    const result = validateAppDefinition({ key: manifest.key, label: manifest.label, forms });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('labels every form, field and option in zh-CN and en', () => {
    const labels: unknown[] = [];
    const visit = (value: unknown, key: string) => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item, key);
      } else if (value !== null && typeof value === 'object') {
        if (key === 'label' || key === 'name' || key === 'help') labels.push(value);
        for (const [k, v] of Object.entries(value)) visit(v, k);
      }
    };
    visit(forms, '');
    for (const label of labels) {
      expect(Object.keys(label as object).sort()).toEqual(['en', 'zh-CN']);
    }
    expect(labels.length).toBeGreaterThan(200);
  });

  it('uses the right field types for money, identity, relations and serial numbers', () => {
    const byKey = new Map(forms.map((form) => [form.key, form]));
    const type = (form: string, field: string) =>
      byKey.get(form)?.fields.find((f) => f.key === field)?.type;
    expect(type('customer', 'mobile')).toBe('mobile');
    expect(type('customer', 'id_number')).toBe('national_id');
    expect(type('loan_application', 'amount')).toBe('money');
    expect(type('loan_application', 'debt_to_income')).toBe('formula');
    expect(type('loan_application', 'customer')).toBe('relation');
    expect(type('disbursement', 'bank_account')).toBe('bank_account');
    expect(type('contract', 'repayment_schedule')).toBe('subform');
    const serial = byKey.get('loan_application')?.fields.find((f) => f.key === 'serial_no');
    expect(serial?.config).toEqual({ pattern: 'LA-{YYYYMMDD}-{counter:4}' });
  });

  it('validates the approval workflow with the workflow engine, on fields the form has', () => {
    const workflow = read('workflows/loan-approval.json') as { form: string };
    const result = validateWorkflow(workflow);
    expect(result.ok ? [] : result).toEqual([]);
    const application = forms.find((form) => form.key === workflow.form);
    const keys = new Set(application?.fields.map((field) => field.key));
    const named = JSON.stringify(workflow).match(/"var":"(\w+)"|"(editable|hidden)":\[[^\]]*\]/g);
    for (const match of named ?? []) {
      for (const [, key] of match.matchAll(/"(\w+)"/g)) {
        if (key && !['var', 'editable', 'hidden'].includes(key)) expect(keys).toContain(key);
      }
    }
  });

  it('validates every automation rule with the rule engine, on forms of the app', () => {
    const names = files('rules');
    expect(names.length).toBeGreaterThanOrEqual(6);
    const ids = new Set<string>();
    for (const name of names) {
      const rule = validateAutomationRule(read(`rules/${name}`));
      ids.add(rule.id);
      if ('form' in rule.trigger) expect(manifest.forms).toContain(rule.trigger.form);
    }
    expect(ids.size).toBe(names.length);
  });

  it('has the ten roles of the spec, each a valid permissions document for this app', () => {
    const validate = new Ajv({ allErrors: true }).compile<RolePermissions>(rolePermissionsSchema);
    expect(files('roles')).toEqual(LENDING_ROLES.map((key) => `${key}.json`).sort());
    for (const key of LENDING_ROLES) {
      const role = read(`roles/${key}.json`) as { key: string; permissions: unknown };
      expect(role.key).toBe(key);
      const document = { apps: { [manifest.key]: role.permissions } };
      expect(validate(document) ? [] : validate.errors).toEqual([]);
      for (const form of Object.keys((role.permissions as { forms: object }).forms)) {
        if (form !== '*') expect(manifest.forms).toContain(form);
      }
    }
  });

  it('keeps the keys of every file sorted, so diffs stay small and stable', () => {
    for (const folder of ['', 'forms', 'workflows', 'rules', 'roles']) {
      const names = folder === '' ? ['app.json'] : files(folder);
      for (const name of names) {
        const path = join(folder, name);
        expect(unsortedKeys(read(path)), path).toEqual([]);
      }
    }
  });
});
