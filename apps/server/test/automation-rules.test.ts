import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP,
  api,
  createRecord,
  disable,
  getRecord,
  publishCrm,
  rule,
  runs,
  updateRecord,
} from './automation-kit.ts';
import { type Actor, WorkflowKit } from './workflow-kit.ts';

// Automation rules through the real application: rules saved by the admin API, triggered by
// record writes inside their transaction, actions through the records runtime, chains bounded,
// every run in the run log.

let k: WorkflowKit;
let owner: Actor;
let reviewer: Actor;

beforeAll(async () => {
  k = await WorkflowKit.create();
  owner = await k.user('owner');
  reviewer = await k.user('reviewer');
  await publishCrm(k);
}, 60_000);
afterAll(async () => {
  await k.close();
});

const admin = () => api(k);

describe('saving rules', () => {
  it('refuses an invalid rule with 400 and the JSON pointer of the problem', async () => {
    const badCron = await admin()('POST', `/api/apps/${APP}/automation-rules`, {
      name: 'bad cron',
      trigger: { kind: 'schedule', cron: '61 * * * *' },
      actions: [],
    });
    expect(badCron.statusCode).toBe(400);
    expect(badCron.json().error).toMatchObject({
      code: 'JNY_RULE_AUTOMATION_INVALID',
      fields: [{ field: '/trigger/cron' }],
    });
    const badLogic = await admin()('POST', `/api/apps/${APP}/automation-rules`, {
      name: 'bad logic',
      trigger: { kind: 'record.created', form: 'customer' },
      actions: [{ type: 'set_fields', values: { grade: { nope: [1] } } }],
    });
    expect(badLogic.statusCode).toBe(400);
    expect(badLogic.json().error.fields[0].field).toMatch(/^\/actions\/0\/values\/grade/);
    const recordless = await admin()('POST', `/api/apps/${APP}/automation-rules`, {
      name: 'nothing to set',
      trigger: { kind: 'schedule', cron: '@daily' },
      actions: [
        { type: 'notify', to: 'x', message: 'hi' },
        { type: 'set_fields', values: { status: 'x' } },
      ],
    });
    expect(recordless.json().error.fields).toEqual([
      {
        field: '/actions/1/type',
        reason: 'set_fields needs a record, and a schedule trigger has none',
      },
    ]);
    const unknownForm = await admin()('POST', `/api/apps/${APP}/automation-rules`, {
      name: 'unknown form',
      trigger: { kind: 'record.created', form: 'nothing' },
      actions: [],
    });
    expect(unknownForm.statusCode).toBe(400);
    expect(unknownForm.json().error.fields).toEqual([
      { field: '/trigger/form', reason: 'no published form "nothing" in app "crm"' },
    ]);
  });

  it('creates, lists, replaces, disables and enables a rule; only admins may', async () => {
    const created = await rule(k, {
      name: 'tag vip',
      enabled: false,
      trigger: { kind: 'record.created', form: 'customer' },
      actions: [{ type: 'set_fields', values: { status: 'new' } }],
    });
    const list = await admin()('GET', `/api/apps/${APP}/automation-rules`);
    expect(list.json().items.map((r: { id: string }) => r.id)).toContain(created.id);
    const replaced = await admin()('PUT', `/api/apps/${APP}/automation-rules/${created.id}`, {
      name: 'tag vip (2)',
      enabled: false,
      trigger: { kind: 'record.created', form: 'customer' },
      actions: [{ type: 'set_fields', values: { status: 'fresh' } }],
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ name: 'tag vip (2)', revision: 2, enabled: false });
    const enabled = await admin()('POST', `/api/apps/${APP}/automation-rules/${created.id}/enable`);
    expect(enabled.json()).toMatchObject({ enabled: true, revision: 3 });
    await disable(k, created.id);
    const forbidden = await api(k, owner)('GET', `/api/apps/${APP}/automation-rules`);
    expect(forbidden.statusCode).toBe(403);
    const removed = await admin()('DELETE', `/api/apps/${APP}/automation-rules/${created.id}`);
    expect(removed.statusCode).toBe(204);
    const gone = await admin()('GET', `/api/apps/${APP}/automation-rules/${created.id}`);
    expect(gone.json().error.code).toBe('JNY_AUTOMATION_RULE_NOT_FOUND');
  });
});

describe('record triggers and in-transaction actions', () => {
  it('record created: sets fields on the new record, and the API answers the record as the rule left it', async () => {
    const r = await rule(k, {
      name: 'new customers start as prospects',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '>': [{ var: 'income' }, 1000] },
      actions: [
        {
          type: 'set_fields',
          values: { status: 'prospect', counter: { '+': [{ var: 'income' }, 1] } },
        },
      ],
    });
    const created = await createRecord(k, 'customer', { name: 'Li', income: 5000 });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body.values).toMatchObject({ status: 'prospect', counter: 5001 });
    expect(body.version).toBe((await getRecord(k, 'customer', body.id)).version);
    const poor = await createRecord(k, 'customer', { name: 'Wang', income: 10 });
    expect(poor.json().values.status).toBeNull();
    const log = await runs(k, r.id);
    expect(log.map((run) => [run.status, run.matched])).toEqual([
      ['skipped', false],
      ['succeeded', true],
    ]);
    expect(log[1]?.actions).toEqual([
      expect.objectContaining({ type: 'set_fields', status: 'done' }),
    ]);
    expect(log[1]?.trigger).toMatchObject({ kind: 'record.created', form: 'customer' });
    await disable(k, r.id);
  });

  it('when the grade changes, opens a follow-up task for the owner', async () => {
    const r = await rule(k, {
      name: 'grade follow-up',
      trigger: { kind: 'field.changed', form: 'customer', field: 'grade' },
      condition: { '!=': [{ var: '$old.grade' }, null] },
      actions: [{ type: 'open_task', title: 'Follow up {name}: grade now {grade}' }],
    });
    const created = await createRecord(k, 'customer', { name: 'Zhao', grade: 'B' }, owner);
    const id = created.json().id as string;
    expect((await updateRecord(k, 'customer', id, { income: 3 })).statusCode).toBe(200);
    expect((await updateRecord(k, 'customer', id, { grade: 'A' })).statusCode).toBe(200);
    const tasks = await api(k, owner)('GET', '/api/notifications?kind=task');
    expect(tasks.statusCode, tasks.body).toBe(200);
    expect(tasks.json().items).toEqual([
      expect.objectContaining({
        kind: 'task',
        title: 'Follow up Zhao: grade now A',
        app: APP,
        form: 'customer',
        recordId: id,
      }),
    ]);
    expect(
      await api(k, reviewer)('GET', '/api/notifications').then((res) => res.json().items),
    ).toEqual([]);
    const log = await runs(k, r.id);
    // Created with a grade (from nothing: the condition is false), then the change B → A.
    expect(log.map((run) => run.status)).toEqual(['succeeded', 'skipped']);
    const read = await api(k, owner)('POST', `/api/notifications/${tasks.json().items[0].id}/read`);
    expect(read.statusCode).toBe(204);
    await disable(k, r.id);
  });

  it('field changed from/to, record updated (some fields) and record deleted', async () => {
    const toHigh = await rule(k, {
      name: 'risk rises',
      trigger: { kind: 'field.changed', form: 'customer', field: 'risk', from: 'low', to: 'high' },
      actions: [{ type: 'notify', to: { var: '$user.id' }, message: '{name} is now high risk' }],
    });
    const updated = await rule(k, {
      name: 'income updated',
      trigger: { kind: 'record.updated', form: 'customer', fields: ['income'] },
      actions: [{ type: 'notify', to: [{ var: 'owner' }], message: 'income of {name} changed' }],
    });
    const deleted = await rule(k, {
      name: 'customer deleted',
      trigger: { kind: 'record.deleted', form: 'customer' },
      actions: [
        {
          type: 'create_record',
          form: 'note',
          values: { text: { cat: ['deleted ', { var: 'name' }] } },
        },
      ],
    });
    const id = (await createRecord(k, 'customer', { name: 'Qian', risk: 'low' })).json()
      .id as string;
    await updateRecord(k, 'customer', id, { risk: 'medium' });
    await updateRecord(k, 'customer', id, { risk: 'low' });
    await updateRecord(k, 'customer', id, { risk: 'high' });
    await updateRecord(k, 'customer', id, { income: 7 });
    const messages = (await admin()('GET', '/api/notifications?kind=notification')).json().items;
    expect(messages.map((m: { title: string }) => m.title)).toEqual([
      'income of Qian changed',
      'Qian is now high risk',
    ]);
    const current = await getRecord(k, 'customer', id);
    const removed = await admin()(
      'DELETE',
      `/api/apps/${APP}/forms/customer/records/${id}?version=${current.version}`,
    );
    expect(removed.statusCode, removed.body).toBe(200);
    const notes = await admin()(
      'GET',
      `/api/apps/${APP}/forms/note/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'text' }, 'deleted Qian'] }))}`,
    );
    expect(notes.json().items).toHaveLength(1);
    expect((await runs(k, toHigh.id)).map((run) => run.status)).toEqual(['succeeded']);
    expect((await runs(k, updated.id)).map((run) => run.status)).toEqual(['succeeded']);
    expect((await runs(k, deleted.id)).map((run) => run.status)).toEqual(['succeeded']);
    for (const r of [toHigh, updated, deleted]) await disable(k, r.id);
  });

  it('creates and updates related records through the records runtime (validation applies)', async () => {
    const create = await rule(k, {
      name: 'welcome note',
      trigger: { kind: 'record.created', form: 'customer' },
      actions: [
        {
          type: 'create_record',
          form: 'note',
          values: { customer: { var: 'id' }, text: 'welcome', level: 1 },
        },
      ],
    });
    const related = await rule(k, {
      name: 'escalated note marks the customer',
      trigger: { kind: 'field.changed', form: 'note', field: 'level', to: 9 },
      actions: [{ type: 'update_related', relation: 'customer', values: { status: 'escalated' } }],
    });
    const id = (await createRecord(k, 'customer', { name: 'Sun' })).json().id as string;
    const notes = await admin()(
      'GET',
      `/api/apps/${APP}/forms/note/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'customer' }, id] }))}`,
    );
    const note = notes.json().items[0];
    expect(note.values).toMatchObject({ text: 'welcome', level: 1, customer: id });
    await disable(k, create.id);
    expect((await updateRecord(k, 'note', note.id, { level: 9 })).statusCode).toBe(200);
    expect((await getRecord(k, 'customer', id)).values.status).toBe('escalated');
    const history = await admin()('GET', `/api/apps/${APP}/forms/customer/records/${id}/history`);
    expect(JSON.stringify(history.json())).toContain('escalated');
    await disable(k, related.id);
  });

  it('fires on every row of a CSV import into a watched form', async () => {
    const r = await rule(k, {
      name: 'imported leads',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '==': [{ var: 'channel' }, 'csv'] },
      actions: [{ type: 'set_fields', values: { status: 'imported' } }],
    });
    const boundary = '----automation-import';
    const csv = 'name,channel\nImported one,csv\nImported two,csv\n';
    const imported = await k.app.inject({
      method: 'POST',
      url: `/api/apps/${APP}/forms/customer/imports`,
      headers: {
        ...k.admin.headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
      ),
    });
    expect(imported.statusCode, imported.body).toBeLessThan(300);
    const listed = await admin()(
      'GET',
      `/api/apps/${APP}/forms/customer/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'channel' }, 'csv'] }))}`,
    );
    expect(listed.json().items.map((c: { values: { status: string } }) => c.values.status)).toEqual(
      ['imported', 'imported'],
    );
    expect(await runs(k, r.id)).toHaveLength(2);
    await disable(k, r.id);
  });

  it('a failing action rolls the triggering write back, and the failure is in the run log', async () => {
    const r = await rule(k, {
      name: 'code too long',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '==': [{ var: 'channel' }, 'broken'] },
      actions: [
        { type: 'notify', to: { var: '$user.id' }, message: 'about to fail' },
        { type: 'set_fields', values: { code: 'far too long for five' } },
      ],
    });
    const before = await admin()(
      'GET',
      `/api/apps/${APP}/forms/customer/records?count=true&limit=1`,
    );
    const refused = await createRecord(k, 'customer', { name: 'Zhou', channel: 'broken' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('JNY_RECORD_INVALID');
    const after = await admin()(
      'GET',
      `/api/apps/${APP}/forms/customer/records?count=true&limit=1`,
    );
    expect(after.json().total).toBe(before.json().total);
    const messages = (await admin()('GET', '/api/notifications')).json().items;
    expect(messages.map((m: { title: string }) => m.title)).not.toContain('about to fail');
    const [failed] = await runs(k, r.id);
    expect(failed).toMatchObject({
      status: 'failed',
      matched: true,
      error: { code: 'JNY_RECORD_INVALID' },
    });
    expect(failed?.actions.map((a) => a.status)).toEqual(['done']);
    const filtered = await runs(k, undefined, 'status=failed');
    expect(filtered.every((run) => run.status === 'failed')).toBe(true);
    await disable(k, r.id);
  });
});

describe('bounded chains', () => {
  it('a self-triggering rule runs once per chain: its own write stops at the rule', async () => {
    const r = await rule(k, {
      name: 'counter bumps itself',
      trigger: { kind: 'record.updated', form: 'customer' },
      actions: [{ type: 'set_fields', values: { counter: { '+': [{ var: 'counter' }, 1] } } }],
    });
    const id = (await createRecord(k, 'customer', { name: 'Loop', counter: 0 })).json()
      .id as string;
    const updated = await updateRecord(k, 'customer', id, { status: 'go' });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().values.counter).toBe(1);
    const log = await runs(k, r.id);
    expect(log.map((run) => run.status).sort()).toEqual(['stopped', 'succeeded']);
    const stopped = log.find((run) => run.status === 'stopped');
    expect(stopped?.chain).toEqual([r.id]);
    await disable(k, r.id);
  });

  it('a chain deeper than the bound fails with a catalogue error, rolled back and logged', async () => {
    const ids: string[] = [];
    for (let level = 1; level <= 7; level++) {
      ids.push(
        (
          await rule(k, {
            name: `level ${level}`,
            trigger: { kind: 'field.changed', form: 'note', field: 'level', to: level },
            actions: [{ type: 'set_fields', values: { level: level + 1 } }],
          })
        ).id,
      );
    }
    const refused = await createRecord(k, 'note', { text: 'deep', level: 1 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('JNY_AUTOMATION_CHAIN_TOO_DEEP');
    const sixth = await runs(k, ids[5]);
    expect(sixth[0]).toMatchObject({
      status: 'failed',
      error: { code: 'JNY_AUTOMATION_CHAIN_TOO_DEEP' },
    });
    expect(sixth[0]?.chain).toEqual(ids.slice(0, 5));
    const first = await runs(k, ids[0]);
    expect(first[0]?.status).toBe('failed');
    const notes = await admin()(
      'GET',
      `/api/apps/${APP}/forms/note/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'text' }, 'deep'] }))}`,
    );
    expect(notes.json().items).toEqual([]);
    // Five levels are fine.
    const fine = await createRecord(k, 'note', { text: 'five', level: 3 });
    expect(fine.statusCode, fine.body).toBe(201);
    expect(fine.json().values.level).toBe(8);
    for (const id of ids) await disable(k, id);
  });
});
