/**
 * A small generic app for the runtime's browser tests (and the list benchmark): customers with
 * one field of most types, linkage, a formula, a subform with a rollup, and follow-ups that
 * point at a customer. Nothing in the runtime knows these forms; they only exercise it.
 */
const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const options = (...values: [string, string, string][]) =>
  values.map(([value, zh, en]) => ({ value, label: label(zh, en) }));

export const runtimeApp = { key: 'crm_test', label: label('测试应用', 'Test app') };

export const customerForm = {
  key: 'customer',
  label: label('客户', 'Customer'),
  sections: [
    { key: 'basic', label: label('基本信息', 'Basics') },
    { key: 'money', label: label('金额', 'Money') },
  ],
  fields: [
    {
      id: 'c1',
      key: 'name',
      type: 'text',
      label: label('姓名', 'Name'),
      validations: { required: true, maxLength: 50 },
      layout: { section: 'basic', order: 1, span: 12 },
    },
    {
      id: 'c2',
      key: 'mobile',
      type: 'mobile',
      label: label('手机号', 'Mobile'),
      layout: { section: 'basic', order: 2, span: 12 },
    },
    {
      id: 'c3',
      key: 'grade',
      type: 'select',
      label: label('等级', 'Grade'),
      config: {
        options: options(
          ['A', 'A 类', 'Class A'],
          ['B', 'B 类', 'Class B'],
          ['C', 'C 类', 'Class C'],
        ),
      },
      layout: { section: 'basic', order: 3, span: 12 },
    },
    {
      id: 'c4',
      key: 'signed_on',
      type: 'date',
      label: label('签约日期', 'Signed on'),
      layout: { section: 'basic', order: 4, span: 12 },
    },
    {
      id: 'c5',
      key: 'vip',
      type: 'checkbox',
      label: label('重要客户', 'VIP'),
      layout: { section: 'basic', order: 5, span: 12 },
    },
    {
      id: 'c6',
      key: 'note',
      type: 'textarea',
      label: label('A 类说明', 'Class A note'),
      rules: {
        visibleWhen: { '==': [{ var: 'grade' }, 'A'] },
        requiredWhen: { '==': [{ var: 'grade' }, 'A'] },
      },
      layout: { section: 'basic', order: 6 },
    },
    {
      id: 'c7',
      key: 'amount',
      type: 'money',
      label: label('授信金额', 'Credit line'),
      validations: { min: '0', max: '10000000' },
      layout: { section: 'money', order: 7, span: 8 },
    },
    {
      id: 'c8',
      key: 'rate',
      type: 'percent',
      label: label('费率', 'Fee rate'),
      layout: { section: 'money', order: 8, span: 8 },
    },
    {
      id: 'c9',
      key: 'fee',
      type: 'formula',
      label: label('费用', 'Fee'),
      config: {
        resultType: 'money',
        logic: { '/': [{ '*': [{ var: 'amount' }, { var: 'rate' }] }, 100] },
      },
      layout: { section: 'money', order: 9, span: 8 },
    },
    {
      id: 'c10',
      key: 'contacts',
      type: 'subform',
      label: label('联系人', 'Contacts'),
      fields: [
        {
          id: 'k1',
          key: 'contact_name',
          type: 'text',
          label: label('联系人姓名', 'Contact name'),
          validations: { required: true },
        },
        { id: 'k2', key: 'phone', type: 'mobile', label: label('联系电话', 'Phone') },
      ],
      layout: { section: 'money', order: 10 },
    },
    {
      id: 'c11',
      key: 'contact_count',
      type: 'rollup',
      label: label('联系人数', 'Contacts'),
      config: { aggregate: 'count', subform: 'contacts' },
      layout: { section: 'money', order: 11, span: 8 },
    },
  ],
};

export const followUpForm = {
  key: 'follow_up',
  label: label('跟进记录', 'Follow-up'),
  fields: [
    {
      id: 'f1',
      key: 'summary',
      type: 'text',
      label: label('跟进内容', 'Summary'),
      validations: { required: true },
    },
    {
      id: 'f2',
      key: 'customer',
      type: 'relation',
      label: label('客户', 'Customer'),
      config: { form: 'customer' },
    },
  ],
};

/** `count` customers with predictable values: grade cycles A/B/C, amounts grow by 1000. */
export function sampleCustomers(count: number, prefix = '客户'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const grade = ['A', 'B', 'C'][i % 3] ?? 'A';
    return {
      name: `${prefix}${String(i + 1).padStart(5, '0')}`,
      mobile: `138${String(10_000_000 + i).slice(-8)}`,
      grade,
      ...(grade === 'A' ? { note: `备注 ${i + 1}` } : {}),
      amount: `${(i + 1) * 1000}.00`,
      rate: '1.5',
      vip: i % 2 === 0,
      signed_on: `2026-0${(i % 9) + 1}-1${i % 10}`,
    };
  });
}
