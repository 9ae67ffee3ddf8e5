import type { AppDefinition, FieldDefinition } from '../schema/app-definition.ts';

/** Builds a label in both languages (tests only). */
export const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** A compact field builder for tests. */
export function field(
  id: string,
  key: string,
  type: string,
  extra: Partial<Omit<FieldDefinition, 'id' | 'key' | 'type'>> = {},
): FieldDefinition {
  return { id, key, type, label: label(key, key), ...extra };
}

/** A slice of the lending CRM: customers, products and loan applications. */
export const lendingApp = {
  key: 'lending',
  label: label('网贷', 'Lending'),
  forms: [
    {
      key: 'customer',
      label: label('客户', 'Customer'),
      version: 1,
      sections: [{ key: 'basic', label: label('基本信息', 'Basics') }],
      fields: [
        field('f1', 'name', 'text', {
          label: label('姓名', 'Name'),
          validations: { required: true, maxLength: 50 },
          layout: { section: 'basic', order: 1, span: 12 },
        }),
        field('f2', 'mobile', 'mobile', {
          label: label('手机号', 'Mobile'),
          validations: { required: true, unique: true },
        }),
        field('f3', 'id_number', 'national_id', { label: label('身份证号', 'ID number') }),
        field('f4', 'city', 'text'),
        field('f5', 'grade', 'select', {
          label: label('等级', 'Grade'),
          config: {
            options: ['A', 'B', 'C', 'D'].map((value) => ({ value, label: label(value, value) })),
          },
        }),
        field('f6', 'tags', 'multiselect', {
          config: {
            options: ['vip', 'new'].map((value) => ({ value, label: label(value, value) })),
          },
        }),
        field('f7', 'owner_user', 'user'),
        field('f8', 'blacklisted', 'checkbox'),
        field('f9', 'email', 'email'),
      ],
    },
    {
      key: 'loan_application',
      label: label('进件', 'Loan application'),
      version: 1,
      fields: [
        field('a1', 'serial_no', 'serial', { config: { pattern: 'LA-{YYYYMMDD}-{counter:4}' } }),
        field('a2', 'customer', 'relation', {
          config: { form: 'customer' },
          validations: { required: true },
        }),
        field('a3', 'amount', 'money', {
          label: label('金额', 'Amount'),
          validations: { required: true, min: '1000', max: '1000000' },
        }),
        field('a4', 'term', 'number', {
          label: label('期限', 'Term'),
          config: { decimals: 0 },
          validations: { min: 1, max: 60 },
        }),
        field('a5', 'monthly_income', 'money'),
        field('a6', 'monthly_debt', 'money'),
        field('a7', 'dti', 'formula', {
          config: {
            resultType: 'percent',
            logic: {
              if: [
                { '>': [{ var: 'monthly_income' }, 0] },
                { '*': [{ '/': [{ var: 'monthly_debt' }, { var: 'monthly_income' }] }, 100] },
                null,
              ],
            },
          },
        }),
        field('a8', 'purpose', 'textarea', {
          rules: { visibleWhen: { '>': [{ var: 'amount' }, 50000] } },
          validations: { maxLength: 500 },
        }),
        field('a9', 'collateral', 'text', {
          rules: { requiredWhen: { '>': [{ var: 'amount' }, 200000] } },
        }),
        field('a10', 'attachments', 'attachment', { config: { maxFiles: 3 } }),
        field('a11', 'customer_city', 'lookup', {
          config: { relation: 'customer', field: 'city' },
        }),
        field('a12', 'status', 'select', {
          config: {
            options: ['draft', 'submitted'].map((value) => ({ value, label: label(value, value) })),
          },
          rules: { readOnlyWhen: { '==': [{ var: 'status' }, 'submitted'] } },
        }),
        field('a13', 'guarantors', 'subform', {
          fields: [
            field('g1', 'name', 'text', { validations: { required: true } }),
            field('g2', 'amount', 'money'),
          ],
        }),
        field('a14', 'guaranteed_total', 'rollup', {
          config: { aggregate: 'sum', subform: 'guarantors', field: 'amount' },
        }),
        field('a15', 'signed_on', 'date'),
      ],
    },
  ],
} satisfies AppDefinition;
