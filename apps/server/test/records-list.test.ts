import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, everyTypeForm, label, publish } from './records-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
let call: ReturnType<typeof caller>;
const url = '/api/apps/shop/forms/sample/records';
const grades = ['A', 'B', 'C'];

beforeAll(async () => {
  t = await createTestApp();
  call = caller(t, await t.login('admin', t.adminPassword));
  await call('POST', '/api/apps', { key: 'shop', label: label('商店', 'Shop') });
  await publish(call, 'shop', everyTypeForm);
  const create = Array.from({ length: 30 }, (_, i) => ({
    values: {
      title: `item ${String(i).padStart(2, '0')}${i % 10 === 0 ? ' special' : ''}`,
      count: i,
      price: `${(i * 10.25).toFixed(2)}`,
      grade: i % 7 === 0 ? null : grades[i % 3],
      day: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      tags: i % 2 === 0 ? ['vip'] : ['new', 'old'],
      active: i % 2 === 0,
    },
  }));
  const bulk = await call('POST', `${url}/bulk`, { create });
  expect(bulk.statusCode, bulk.body).toBe(200);
});
afterAll(() => t.close());

const list = async (query: Record<string, string>) => {
  const response = await call('GET', `${url}?${new URLSearchParams(query)}`);
  return response;
};
const titles = (body: { items: { values: { title: string } }[] }) =>
  body.items.map((r) => r.values.title);

describe('record lists', () => {
  it('filters with JSON-logic translated to SQL, with a total count', async () => {
    const response = await list({
      filter: JSON.stringify({
        and: [{ '>=': [{ var: 'price' }, 100] }, { '==': [{ var: 'grade' }, 'B'] }],
      }),
      count: 'true',
      sort: 'count',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = response.json();
    // price >= 100 → i >= 10; grade B → i % 3 == 1 and i % 7 != 0
    const expected = Array.from({ length: 30 }, (_, i) => i).filter(
      (i) => i >= 10 && i % 3 === 1 && i % 7 !== 0,
    );
    expect(body.total).toBe(expected.length);
    expect(body.items.map((r: { values: { count: number } }) => r.values.count)).toEqual(expected);
  });

  it('sorts by several keys with NULLs, and pages with a keyset cursor without gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { sort: '-grade,price', limit: '7' };
      if (cursor) query.cursor = cursor;
      const response = await list(query);
      expect(response.statusCode, response.body).toBe(200);
      seen.push(...titles(response.json()));
      cursor = response.json().nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    const all = (await list({ sort: '-grade,price', limit: '100' })).json();
    expect(titles(all)).toEqual(seen);
    const gradesInOrder = all.items.map(
      (r: { values: { grade: string | null } }) => r.values.grade,
    );
    expect(gradesInOrder.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(gradesInOrder[5]).toBe('C');
  });

  it('searches text, selects fields, filters arrays and dates', async () => {
    const found = (await list({ q: 'SPECIAL', fields: 'title,count' })).json();
    expect(found.items).toHaveLength(3);
    expect(Object.keys(found.items[0].values).sort()).toEqual(['count', 'title']);
    const tagged = await list({
      filter: JSON.stringify({ in: ['new', { var: 'tags' }] }),
      count: 'true',
      limit: '1',
    });
    expect(tagged.statusCode, tagged.body).toBe(200);
    expect(tagged.json().total).toBe(15);
    const dated = await list({
      filter: JSON.stringify({ '<': [{ var: 'day' }, '2026-01-03'] }),
      count: 'true',
    });
    expect(dated.json().total).toBe(4);
  });

  it('refuses hostile and unknown sort keys, fields, filters and cursors with 400', async () => {
    const cases: Record<string, string>[] = [
      { sort: 'price; drop table x' },
      { sort: 'notes' },
      { sort: '-"price"' },
      { sort: 'a,b,c,d,e,f' },
      { fields: 'title,password' },
      { expand: 'title' },
      { filter: '{"==":[{"var":"nope"},1]}' },
      { filter: '1=1; drop table app_shop.sample; --' },
      { filter: '{"evil_op":[1]}' },
      { cursor: 'not-a-cursor' },
      { cursor: Buffer.from('["x","y"]').toString('base64url') },
      { limit: '100000' },
      { deleted: 'all' },
    ];
    for (const query of cases) {
      const response = await list(query);
      expect(response.statusCode, JSON.stringify(query) + response.body).toBe(400);
      expect(response.json().error.message).toBeTruthy();
    }
    const stillThere = (await list({ count: 'true', limit: '1' })).json();
    expect(stillThere.total).toBe(30);
  });

  it('reads a SQL fragment in a filter value as a plain value', async () => {
    const response = await list({
      filter: JSON.stringify({ '==': [{ var: 'title' }, "x' or '1'='1"] }),
      count: 'true',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().total).toBe(0);
  });

  it('filters ids and owners as uuids: in, equality, odd strings never match, ordering refused', async () => {
    const all = (await list({ limit: '5', sort: 'count' })).json().items as { id: string }[];
    const [first, second] = all;
    if (!first || !second) throw new Error('fixture');
    const some = await list({
      filter: JSON.stringify({ in: [{ var: 'id' }, [first.id, second.id, 'not-a-uuid', 7]] }),
      sort: 'count',
    });
    expect(some.statusCode, some.body).toBe(200);
    expect(some.json().items.map((r: { id: string }) => r.id)).toEqual([first.id, second.id]);
    // In memory an id is its lowercase text: an uppercase spelling equals nothing, as there.
    for (const other of [first.id.toUpperCase(), 'x', '']) {
      const none = await list({ filter: JSON.stringify({ '==': [{ var: 'id' }, other] }) });
      expect(none.statusCode, none.body).toBe(200);
      expect(none.json().items).toEqual([]);
    }
    const mine = await list({
      filter: JSON.stringify({ '==': [{ var: 'owner' }, { var: '$user.id' }] }),
      count: 'true',
    });
    expect(mine.json().total).toBe(30);
    const ordered = await list({ filter: JSON.stringify({ '<': [{ var: 'id' }, first.id] }) });
    expect(ordered.statusCode, ordered.body).toBe(400);
  });

  it('translates a filter reading the clock anew on every request, one reading only fields once', async () => {
    // Same texts twice: the first filter's `$now` must be this request's, not the first one's.
    const recent = JSON.stringify({ '<=': [{ var: 'created_at' }, { var: '$now' }] });
    const plain = JSON.stringify({ '>=': [{ var: 'count' }, 29] });
    expect((await list({ filter: recent, count: 'true' })).json().total).toBe(30);
    expect((await list({ filter: plain, count: 'true' })).json().total).toBe(1);
    const created = await call('POST', url, { values: { title: 'listed later', count: 40 } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    try {
      expect((await list({ filter: recent, count: 'true' })).json().total).toBe(31);
      const again = await list({ filter: plain, count: 'true', sort: 'count' });
      expect(again.json().items.map((r: { values: { count: number } }) => r.values.count)).toEqual([
        29, 40,
      ]);
    } finally {
      const removed = await call('DELETE', `${url}/${id}`);
      expect(removed.statusCode, removed.body).toBe(200);
    }
  });
});
