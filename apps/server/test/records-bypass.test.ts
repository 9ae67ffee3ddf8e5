import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, customerForm, label, loanForm, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

// Hostile reads of the records API by signed-in users with narrow rights: prototype tricks in
// JSON-logic, SQL in values, names and sort keys, paths into forms they cannot read, huge and
// deep expressions, look-alike characters, other users' ids, forged tokens. Each must answer
// a clean 4xx (or, for a well-formed query, an empty page) — never a 500, never a row or field
// from outside the caller's rights.

const SECRET = 'SECRET-OUTSIDE-SCOPE';
const HIDDEN = 'HIDDEN-COLLATERAL';
const THEIR_CITY = 'CITY-OF-A-CUSTOMER-OUTSIDE-SCOPE';
const loans = '/api/apps/probe/forms/loan/records';

let t: TestApp;
let admin: SignedIn;
const as: Record<string, ReturnType<typeof caller>> = {};
let theirs = '';
let mine = '';

async function addUser(username: string, permissions: unknown) {
  const call = caller(t, admin);
  const role = await call('POST', '/api/roles', {
    key: username.replace(/\d+$/, ''),
    name: label(username),
    permissions: { apps: { probe: { forms: permissions } } },
  });
  if (role.statusCode !== 201) throw new Error(role.body);
  const password = `${username}-Password-1`;
  const created = await call('POST', '/api/users', { username, displayName: username, password });
  await call('PUT', `/api/users/${created.json().id}/roles`, { roleIds: [role.json().id] });
  as[username] = caller(t, await t.login(username, password));
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  const call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'probe', label: label('探测', 'Probe') });
  await publish(call, 'probe', customerForm);
  await publish(call, 'probe', loanForm);
  // teller: own loans, collateral hidden, customers only their own; clerk: loans, no customers.
  await addUser('teller1', {
    loan: {
      actions: ['view', 'create', 'edit'],
      rows: 'own',
      fields: { collateral: { read: false } },
    },
    customer: { actions: ['view'], rows: 'own' },
  });
  await addUser('clerk1', { loan: { actions: ['view'], rows: 'all' } });
  const customer = await call('POST', '/api/apps/probe/forms/customer/records', {
    values: { name: SECRET, city: THEIR_CITY },
  });
  const loan = await call('POST', loans, {
    values: { customer: customer.json().id, amount: '900000', purpose: SECRET, collateral: HIDDEN },
  });
  theirs = loan.json().id;
  const own = await as.teller1?.('POST', loans, {
    values: { customer: customer.json().id, amount: '5000' },
  });
  if (own?.statusCode !== 201) throw new Error(own?.body);
  mine = own.json().id;
  await call('PATCH', `${loans}/${mine}`, { version: 1, values: { collateral: HIDDEN } });
});
afterAll(() => t.close());

const deep = (depth: number) => {
  let logic: unknown = { '==': [{ var: 'amount' }, 1] };
  for (let i = 0; i < depth; i++) logic = { '!': [logic] };
  return JSON.stringify(logic);
};
const wide = (n: number) =>
  JSON.stringify({ or: Array.from({ length: n }, (_, i) => ({ '==': [{ var: 'amount' }, i] })) });
const f = (logic: unknown) => `filter=${encodeURIComponent(JSON.stringify(logic))}`;

/** [what, who, query string on the loan list, expected status (200: an empty-or-own page)]. */
const LIST_PROBES: [string, string, string, number][] = [
  ['var __proto__', 'teller1', f({ var: '__proto__' }), 400],
  ['var __proto__ path', 'teller1', f({ '==': [{ var: '__proto__.polluted' }, 1] }), 400],
  ['var constructor', 'teller1', f({ '==': [{ var: 'constructor' }, 'x'] }), 400],
  ['var constructor.prototype', 'teller1', f({ '==': [{ var: 'constructor.prototype' }, 1] }), 400],
  ['var toString', 'teller1', f({ '==': [{ var: 'toString' }, 'x'] }), 400],
  ['operator __proto__', 'teller1', `filter=${encodeURIComponent('{"__proto__":[1,1]}')}`, 400],
  ['operator constructor', 'teller1', f({ constructor: [1] }), 400],
  ['unknown operator', 'teller1', f({ eval: ['1'] }), 400],
  ['$user prototype', 'teller1', f({ '==': [{ var: '$user.__proto__' }, 1] }), 200],
  ['SQL in a text value', 'teller1', f({ '==': [{ var: 'purpose' }, "x' or '1'='1"] }), 200],
  ['SQL in a money value', 'teller1', f({ '==': [{ var: 'amount' }, "1' or '1'='1"] }), 200],
  ['SQL in a field name', 'teller1', f({ '==': [{ var: 'amount; drop table x' }, 1] }), 400],
  ['quoted field name', 'teller1', f({ '==': [{ var: '"amount"' }, 1] }), 400],
  ['NUL in a value', 'teller1', f({ '==': [{ var: 'purpose' }, 'a\u0000b'] }), 400],
  ['Cyrillic look-alike', 'teller1', f({ '==': [{ var: 'аmount' }, 1] }), 400],
  ['full-width name', 'teller1', f({ '==': [{ var: 'ａｍｏｕｎｔ' }, 1] }), 400],
  ['zero-width joiner', 'teller1', f({ '==': [{ var: 'amount\u200d' }, 1] }), 400],
  ['not JSON', 'teller1', 'filter=%7B%22%3D%3D%22', 400],
  ['deep expression', 'teller1', `filter=${encodeURIComponent(deep(2000))}`, 400],
  ['wide expression', 'teller1', `filter=${encodeURIComponent(wide(3000))}`, 400],
  ['hidden field in a filter', 'teller1', f({ '==': [{ var: 'collateral' }, HIDDEN] }), 403],
  [
    'path into a form not all readable',
    'teller1',
    f({ '!=': [{ var: 'customer.name' }, ''] }),
    403,
  ],
  ['path into a form not readable', 'clerk1', f({ '==': [{ var: 'customer.name' }, SECRET] }), 403],
  ['path through prototype', 'clerk1', f({ '==': [{ var: 'customer.__proto__' }, 1] }), 403],
  ['sort by __proto__', 'teller1', 'sort=__proto__', 400],
  ['sort with SQL', 'teller1', `sort=${encodeURIComponent('amount;drop table x')}`, 400],
  ['sort by a hidden field', 'teller1', 'sort=-collateral', 403],
  ['sort through a relation', 'clerk1', 'sort=customer.name', 403],
  ['filter on a lookup', 'teller1', f({ '==': [{ var: 'customer_city' }, THEIR_CITY] }), 400],
  ['sort by a lookup', 'clerk1', 'sort=customer_city', 400],
  ['sort by look-alike', 'teller1', `sort=${encodeURIComponent('аmount')}`, 400],
  ['six sort keys', 'teller1', 'sort=amount,no,purpose,id,owner,version', 400],
  ['expand a form not readable', 'clerk1', 'expand=customer', 403],
  ['expand a form not all readable', 'teller1', 'expand=customer', 403],
  ['expand __proto__', 'teller1', 'expand=__proto__', 400],
  ['fields __proto__', 'teller1', 'fields=__proto__', 400],
  ['forged cursor', 'teller1', `cursor=${encodeURIComponent("1' or '1'='1")}`, 400],
  ['limit too large', 'teller1', 'limit=1000000', 400],
  ['negative limit', 'teller1', 'limit=-1', 400],
  ['unknown parameter', 'teller1', 'owner=all', 400],
  ['search with LIKE wildcards', 'teller1', 'q=%25_%25', 200],
];

describe('hostile list queries', () => {
  it.each(LIST_PROBES)('%s (%s: %s) → %i', async (_what, who, query, status) => {
    const response = await as[who]?.('GET', `${loans}?${query}`);
    expect(response?.statusCode, response?.body).toBe(status);
    expect(response?.body).not.toContain(SECRET);
    expect(response?.body).not.toContain(HIDDEN);
    if (status === 200) {
      const ids = response?.json().items.map((item: { id: string }) => item.id);
      expect(ids.every((id: string) => id === mine)).toBe(true);
    }
  });
});

/** [what, who, method, url, body, expected status]: others' ids, system fields, forged ids. */
const RECORD_PROBES: [
  string,
  string,
  'GET' | 'PATCH' | 'DELETE' | 'POST',
  string,
  unknown,
  number,
][] = [
  ['read another’s record', 'teller1', 'GET', `${loans}/{theirs}`, undefined, 404],
  ['its history', 'teller1', 'GET', `${loans}/{theirs}/history`, undefined, 404],
  ['edit it', 'teller1', 'PATCH', `${loans}/{theirs}`, { version: 1, values: {} }, 404],
  ['expand from it', 'teller1', 'GET', `${loans}/{theirs}?expand=customer`, undefined, 403],
  ['restore it', 'teller1', 'POST', `${loans}/{theirs}/restore`, undefined, 403],
  [
    'take it over in bulk',
    'teller1',
    'POST',
    `${loans}/bulk`,
    { update: [{ id: '{theirs}', version: 1, values: { amount: '1' } }] },
    400,
  ],
  [
    'set the owner',
    'teller1',
    'PATCH',
    `${loans}/{mine}`,
    { version: 2, values: { owner: '{theirs}' } },
    400,
  ],
  [
    'write a hidden field',
    'teller1',
    'PATCH',
    `${loans}/{mine}`,
    { version: 2, values: { collateral: 'x' } },
    403,
  ],
  [
    'write __proto__',
    'teller1',
    'PATCH',
    `${loans}/{mine}`,
    { version: 2, values: { ['__proto__']: { owner: 'x' } } },
    400,
  ],
  [
    'write constructor',
    'teller1',
    'POST',
    loans,
    { values: { constructor: { prototype: 1 } } },
    400,
  ],
  [
    'id with SQL',
    'teller1',
    'GET',
    `${loans}/${encodeURIComponent("1' or '1'='1")}`,
    undefined,
    400,
  ],
  ['unknown id', 'teller1', 'GET', `${loans}/00000000-0000-4000-8000-000000000000`, undefined, 404],
  [
    'form name with SQL',
    'teller1',
    'GET',
    '/api/apps/probe/forms/loan%3Bdrop/records',
    undefined,
    400,
  ],
  ['file of another record', 'teller1', 'GET', '/api/files/{theirs}', undefined, 404],
];

describe('hostile record requests', () => {
  it.each(RECORD_PROBES)('%s (%s %s %s)', async (_what, who, method, url, body, status) => {
    const fill = (text: string) => text.replaceAll('{theirs}', theirs).replaceAll('{mine}', mine);
    const payload = body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body)));
    const response = await as[who]?.(method, fill(url), payload);
    expect(response?.statusCode, response?.body).toBe(status);
    expect(response?.body).not.toContain(SECRET);
    expect(response?.body).not.toContain(HIDDEN);
  });

  // Search looks only into fields the viewer may read: the teller's own loan holds the hidden
  // collateral, and a search for it must not tell them so.
  it('searches no field the viewer may not read', async () => {
    const probe = await as.teller1?.('GET', `${loans}?q=${HIDDEN}&count=true`);
    expect(probe?.statusCode).toBe(200);
    expect(probe?.json()).toMatchObject({ items: [], total: 0 });
    const byAdmin = await caller(t, admin)('GET', `${loans}?q=${HIDDEN}`);
    expect(byAdmin.json().items.map((item: { id: string }) => item.id)).toContain(mine);
  });

  // The teller's own loan points at a customer outside their rows: the lookup shows nothing.
  it('shows no lookup of a related record outside the viewer’s rows', async () => {
    const own = await as.teller1?.('GET', `${loans}/${mine}`);
    expect(own?.statusCode).toBe(200);
    expect(own?.json().values.customer_city).toBeNull();
    expect(own?.body).not.toContain(THEIR_CITY);
  });

  it('left every record as it was, and refuses forged tokens and sessions', async () => {
    const rows = await t.database.pool.query(
      'select id::text, version, purpose, owner::text from app_probe.loan order by created_at',
    );
    expect(rows.rows.map((row) => [row.id, row.version, row.purpose])).toEqual([
      [theirs, 1, SECRET],
      [mine, 2, null],
    ]);
    for (const headers of [
      { authorization: 'Bearer jny_forged_token_0000000000000000' },
      { cookie: 'jny_session=forged' },
      { authorization: "Bearer ' or '1'='1" },
    ]) {
      const response = await t.app.inject({ method: 'GET', url: loans, headers });
      expect(response.statusCode).toBe(401);
    }
  });
});
