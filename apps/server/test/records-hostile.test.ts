import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, everyTypeForm, label, publish } from './records-fixture.ts';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
let call: ReturnType<typeof caller>;
const url = '/api/apps/safe/forms/sample/records';

beforeAll(async () => {
  t = await createTestApp({ JOINERY_BODY_LIMIT: String(64 * 1024) });
  call = caller(t, await t.login('admin', t.adminPassword));
  await call('POST', '/api/apps', { key: 'safe', label: label('安全', 'Safe') });
  await publish(call, 'safe', everyTypeForm);
});
afterAll(() => t.close());

const rowCount = async () =>
  Number((await t.database.pool.query('select count(*) from app_safe.sample')).rows[0].count);
const historyCount = async () =>
  Number(
    (await t.database.pool.query('select count(*) from joinery.record_history')).rows[0].count,
  );

describe('hostile record writes', () => {
  it('answers 4xx naming the field and the rule, and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{ title: 42 }, 'title'],
      [{ title: 'ok', price: 12.345 }, 'price'],
      [{ title: 'ok', price: '1e3' }, 'price'],
      [{ title: 'ok', count: 'lots' }, 'count'],
      [{ title: 'ok', day: '2026-02-30' }, 'day'],
      [{ title: 'ok', moment: '2026-01-01 10:00' }, 'moment'],
      [{ title: 'ok', grade: "A'; drop table app_safe.sample; --" }, 'grade'],
      [{ title: 'ok', tags: ['vip', 'evil'] }, 'tags'],
      [{ title: 'ok', active: 'yes' }, 'active'],
      [{ title: 'ok', mobile: '12345' }, 'mobile'],
      [{ title: 'ok', id_number: '110105194912310021' }, 'id_number'],
      [{ title: 'ok', person: 'not-a-uuid' }, 'person'],
      [
        { title: 'ok', docs: [{ id: '../../etc/passwd', name: 'x', size: 1, mime: 'text/plain' }] },
        'docs',
      ],
      [{ title: 'ok', 'title"; drop table x; --': 1 }, 'title"; drop table x; --'],
      [{ title: 'ok', total: '1.00' }, 'total'],
      [{ title: 'ok', code: 'S-1' }, 'code'],
      [{ title: 'ok', id: '00000000-0000-4000-8000-000000000000' }, 'id'],
      [{}, 'title'],
    ];
    for (const [values, fieldKey] of cases) {
      const response = await call('POST', url, { values });
      expect(response.statusCode, JSON.stringify(values) + response.body).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe('JNY_RECORD_INVALID');
      expect(error.fields.map((f: { field: string }) => f.field)).toContain(fieldKey);
      expect(error.fields[0].reason.length).toBeGreaterThan(3);
    }
    expect(await rowCount()).toBe(0);
    expect(await historyCount()).toBe(0);
  });

  it('stores a SQL fragment in a value as plain text', async () => {
    const text = "Robert'); DROP TABLE app_safe.sample; --";
    const created = await call('POST', url, { values: { title: text } });
    expect(created.statusCode).toBe(201);
    expect(created.json().values.title).toBe(text);
    expect(await rowCount()).toBe(1);
  });

  it('refuses bodies that are not the expected shape or too large', async () => {
    const before = await rowCount();
    const notObject = await call('POST', url, { values: [1, 2] });
    expect(notObject.statusCode).toBe(400);
    const extra = await call('POST', url, { values: { title: 'x' }, owner: 'me' });
    expect(extra.statusCode).toBe(400);
    const huge = await call('POST', url, { values: { title: 'x', notes: 'y'.repeat(100_000) } });
    expect(huge.statusCode).toBe(413);
    const malformed = await t.app.inject({
      method: 'POST',
      url,
      headers: {
        ...(await t.login('admin', t.adminPassword)).headers,
        'content-type': 'application/json',
      },
      payload: '{"values": {"title": ',
    });
    expect(malformed.statusCode).toBe(400);
    const badId = await call('GET', `${url}/1%27%20or%201=1`);
    expect(badId.statusCode).toBe(400);
    const unknownForm = await call('GET', '/api/apps/safe/forms/nope/records');
    expect(unknownForm.statusCode).toBe(404);
    const hostileForm = await call('GET', '/api/apps/safe/forms/x%3Bdrop/records');
    expect(hostileForm.statusCode).toBe(400);
    expect(await rowCount()).toBe(before);
  });

  it('runs a bulk write all or nothing, naming the failing item', async () => {
    const before = await rowCount();
    const bulk = await call('POST', `${url}/bulk`, {
      create: [
        { values: { title: 'one' } },
        { values: { title: 'two' } },
        { values: { price: 'x' } },
      ],
    });
    expect(bulk.statusCode).toBe(400);
    expect(bulk.json().error.fields.map((f: { field: string }) => f.field)).toContain(
      'records/create/2/price',
    );
    expect(await rowCount()).toBe(before);
    const ok = await call('POST', `${url}/bulk`, {
      create: [{ values: { title: 'one' } }, { values: { title: 'two' } }],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const [one, two] = ok.json().created;
    const mixed = await call('POST', `${url}/bulk`, {
      update: [{ id: one.id, version: 1, values: { title: 'uno' } }],
      delete: [{ id: two.id, version: 99 }],
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.code).toBe('JNY_RECORD_BULK_FAILED');
    expect((await call('GET', `${url}/${one.id}`)).json().values.title).toBe('one');
  });

  it('refuses a duplicate of a unique field with 409', async () => {
    const first = await call('POST', url, { values: { title: 'a', mobile: '13900000000' } });
    expect(first.statusCode).toBe(201);
    const second = await call('POST', url, { values: { title: 'b', mobile: '13900000000' } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('JNY_RECORD_DUPLICATE');
    expect(second.json().error.message).toContain('mobile');
  });

  it('requires a signed-in user and an admin to publish', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
    const publishAsAnonymous = await t.app.inject({
      method: 'POST',
      url: '/api/apps/safe/forms/sample/publish',
    });
    expect(publishAsAnonymous.statusCode).toBe(401);
  });
});
