import { describe, expect, it } from 'vitest';
import { type NavigationItem, selectedNavigationKey } from './navigation.ts';

const label = { 'zh-CN': '', en: '' };
const items: readonly NavigationItem[] = [
  { key: 'home', label, path: '/' },
  {
    key: 'crm',
    label,
    children: [
      { key: 'customers', label, path: '/apps/crm/customers' },
      { key: 'customers-vip', label, path: '/apps/crm/customers/vip' },
    ],
  },
];

describe('selectedNavigationKey', () => {
  it('selects home only on the root path', () => {
    expect(selectedNavigationKey(items, '/')).toBe('home');
    expect(selectedNavigationKey(items, '/unknown')).toBeUndefined();
  });

  it('selects the longest matching entry, nested ones included', () => {
    expect(selectedNavigationKey(items, '/apps/crm/customers/42')).toBe('customers');
    expect(selectedNavigationKey(items, '/apps/crm/customers/vip')).toBe('customers-vip');
    expect(selectedNavigationKey(items, '/apps/crm/customersx')).toBeUndefined();
  });
});
