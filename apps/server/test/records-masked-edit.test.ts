import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caller,
  label,
  publish,
  unmaskAudits as unmaskAuditsOf,
  userWithForms,
} from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// A form that keeps personal data masked until the user reveals it saves the masks back as they
// were shown: the server treats a value sent exactly as its stored value's mask as no change
// (top-level and in subform rows), and shows the answer masked when asked (`?unmask=none`), so
// an edit never overwrites personal data with stars nor reads it in clear unaudited.

const contactForm = {
  key: 'contact',
  label: label('联系人', 'Contact'),
  fields: [
    { id: 'c1', key: 'name', type: 'text', label: label('姓名', 'Name') },
    { id: 'c2', key: 'mobile', type: 'mobile', label: label('手机号', 'Mobile') },
    {
      id: 'c3',
      key: 'guarantors',
      type: 'subform',
      label: label('担保人', 'Guarantors'),
      fields: [
        { id: 'g1', key: 'name', type: 'text', label: label('姓名', 'Name') },
        { id: 'g2', key: 'mobile', type: 'mobile', label: label('手机', 'Mobile') },
      ],
    },
  ],
};

const MOBILE = '13812341234';
const GUARANTOR = '13900001111';
const contacts = '/api/apps/me/forms/contact/records';

let t: TestApp;
let admin: SignedIn;
let officer: ReturnType<typeof caller>;
let id = '';
const unmaskAudits = async () => (await unmaskAuditsOf(t)).length;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'me', label: label('脱敏编辑', 'Masked edit') });
  await publish(call, 'me', contactForm);
  officer = await userWithForms(t, admin, 'me', 'officer', {
    contact: {
      actions: ['view', 'create', 'edit'],
      rows: 'all',
      fields: { mobile: { unmask: true }, guarantors: { unmask: true } },
    },
  });
  const created = await call('POST', contacts, {
    values: { name: '张三', mobile: MOBILE, guarantors: [{ name: '李四', mobile: GUARANTOR }] },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  id = created.json().id;
});
afterAll(() => t.close());

const stored = async () => (await caller(t, admin)('GET', `${contacts}/${id}`)).json().values;

describe('saving a form with personal data still masked', () => {
  it('keeps the stored values, answers masked with ?unmask=none, and audits nothing', async () => {
    const before = await unmaskAudits();
    const shown = await officer('GET', `${contacts}/${id}?unmask=none`);
    expect(shown.statusCode, shown.body).toBe(200);
    const { values, version } = shown.json();
    expect(values.mobile).toBe('138****1234');
    expect(values.guarantors[0].mobile).toBe('139****1111');

    const saved = await officer('PATCH', `${contacts}/${id}?unmask=none`, {
      version,
      values: { name: '张三丰', mobile: values.mobile, guarantors: values.guarantors },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain(MOBILE);
    expect(saved.body).not.toContain(GUARANTOR);
    expect(saved.json().values.mobile).toBe('138****1234');
    expect(await unmaskAudits()).toBe(before);

    const after = await stored();
    expect(after.name).toBe('张三丰');
    expect(after.mobile).toBe(MOBILE);
    expect(after.guarantors[0].mobile).toBe(GUARANTOR);
  });

  it('writes a new value typed in full', async () => {
    const { version } = (await officer('GET', `${contacts}/${id}?unmask=none`)).json();
    const saved = await officer('PATCH', `${contacts}/${id}?unmask=none`, {
      version,
      values: { mobile: '13700007777' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await stored()).mobile).toBe('13700007777');
  });

  it('audits the clear answer when a masked echo is sent without ?unmask=none', async () => {
    const before = await unmaskAudits();
    const { values, version } = (await officer('GET', `${contacts}/${id}?unmask=none`)).json();
    const saved = await officer('PATCH', `${contacts}/${id}`, {
      version,
      values: { mobile: values.mobile },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // The stored value came back in clear: a clear read like any other, so it is audited.
    expect(saved.json().values.mobile).toBe('13700007777');
    expect(await unmaskAudits()).toBe(before + 1);
  });

  it('refuses ?unmask of a field the writer may not unmask', async () => {
    const clerk = await userWithForms(t, admin, 'me', 'clerk', {
      contact: { actions: ['view', 'edit'], rows: 'all' },
    });
    const { version } = (await clerk('GET', `${contacts}/${id}`)).json();
    const refused = await clerk('PATCH', `${contacts}/${id}?unmask=mobile`, {
      version,
      values: { name: '张三' },
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.fields[0].field).toBe('/querystring/unmask/mobile');
  });
});
