import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
} from './automation-kit.ts';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// Automation rules that reach past the triggering transaction: schedules, inbound and outbound
// webhooks, workflow events and workflow starts (all through the job queue), and owner
// assignment under concurrent creates.

let k: WorkflowKit;
let reviewer: Actor;
let hook: Server;
let hookUrl: string;
const calls: unknown[] = [];

beforeAll(async () => {
  hook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      calls.push(JSON.parse(body || 'null'));
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  k = await WorkflowKit.create({ worker: true });
  reviewer = await k.user('reviewer');
  await publishCrm(k);
}, 60_000);
afterAll(async () => {
  await k.close();
  hook.close();
});

const admin = () => api(k);

/**
 * Runs the due jobs and waits until the rule's latest run has no queued action left (the
 * background worker may have taken a job before the test clock's round did).
 */
async function settle(kit: WorkflowKit, ruleId: string): Promise<void> {
  await kit.advanceClock(0);
  await expect
    .poll(async () => (await runs(kit, ruleId))[0]?.actions.some((a) => a.status === 'queued'), {
      timeout: 10_000,
    })
    .toBe(false);
}

describe('schedules', () => {
  it('queues the next occurrence, runs the rule when it falls due, then queues the one after', async () => {
    const r = await rule(k, {
      name: 'hourly census',
      trigger: { kind: 'schedule', cron: '0 * * * *' },
      actions: [{ type: 'create_record', form: 'note', values: { text: 'census', level: 1 } }],
    });
    const before = (await admin()('GET', `/api/apps/${APP}/automation-rules/${r.id}`)).json();
    expect(before.nextRunAt).toMatch(/T\d\d:00:00\.000Z$/);
    await k.advanceClock(3600);
    const log = await runs(k, r.id);
    expect(log.map((run) => run.status)).toEqual(['succeeded']);
    expect(log[0]?.trigger).toEqual({ kind: 'schedule', due: before.nextRunAt });
    const after = (await admin()('GET', `/api/apps/${APP}/automation-rules/${r.id}`)).json();
    expect(Date.parse(after.nextRunAt)).toBeGreaterThan(Date.parse(before.nextRunAt));
    await disable(k, r.id);
    const off = (await admin()('GET', `/api/apps/${APP}/automation-rules/${r.id}`)).json();
    expect(off.nextRunAt).toBeNull();
    await k.advanceClock(7200);
    expect(await runs(k, r.id)).toHaveLength(1);
  });
});

describe('inbound webhooks', () => {
  it('runs the rule with the posted payload when the secret is right, and only then', async () => {
    const r = await rule(k, {
      name: 'risk system',
      trigger: { kind: 'webhook', hook: 'risk' },
      condition: { '==': [{ var: 'level' }, 'high'] },
      actions: [
        {
          type: 'create_record',
          form: 'note',
          values: { text: { cat: ['risk: ', { var: 'who' }] }, level: 5 },
        },
      ],
    });
    expect(r.hookSecret).toMatch(/^[\w-]{20,}$/);
    const post = (id: string, secret: string | undefined, payload: unknown) =>
      k.app.inject({
        method: 'POST',
        url: `/api/hooks/${id}`,
        headers: secret === undefined ? {} : { 'x-joinery-hook-secret': secret },
        payload: payload as object,
      });
    const accepted = await post(r.id, r.hookSecret ?? '', { level: 'high', who: 'Li' });
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json().status).toBe('succeeded');
    const ignored = await post(r.id, r.hookSecret ?? '', { level: 'low', who: 'Wu' });
    expect(ignored.json().status).toBe('skipped');
    for (const [id, secret] of [
      [r.id, 'wrong'],
      [r.id, undefined],
      ['00000000-0000-4000-8000-000000000000', r.hookSecret ?? ''],
      ['not-a-uuid', r.hookSecret ?? ''],
    ] as const) {
      const refused = await post(id, secret, { level: 'high' });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.code).toBe('JNY_AUTOMATION_HOOK_UNAUTHORIZED');
    }
    expect((await post(r.id, r.hookSecret ?? '', [1, 2])).statusCode).toBe(400);
    const notes = await admin()(
      'GET',
      `/api/apps/${APP}/forms/note/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'level' }, 5] }))}`,
    );
    expect(notes.json().items.map((n: { values: { text: string } }) => n.values.text)).toEqual([
      'risk: Li',
    ]);
    const rotated = await admin()('POST', `/api/apps/${APP}/automation-rules/${r.id}/secret`);
    expect((await post(r.id, r.hookSecret ?? '', { level: 'low' })).statusCode).toBe(401);
    expect((await post(r.id, rotated.json().hookSecret, { level: 'low' })).statusCode).toBe(202);
    await disable(k, r.id);
    const disabled = await post(r.id, rotated.json().hookSecret, { level: 'high' });
    expect(disabled.json().error.code).toBe('JNY_AUTOMATION_HOOK_DISABLED');
    expect((await runs(k, r.id)).map((run) => run.status)).toEqual([
      'skipped',
      'skipped',
      'succeeded',
    ]);
  });
});

describe('outbound webhooks', () => {
  it('refuses a call to 127.0.0.1 when it is not allow-listed, and says so in the run log', async () => {
    const r = await rule(k, {
      name: 'tell the loopback',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '==': [{ var: 'channel' }, 'hook'] },
      actions: [{ type: 'call_webhook', url: hookUrl, body: { name: { var: 'name' } } }],
    });
    const created = await createRecord(k, 'customer', { name: 'Hu', channel: 'hook' });
    expect(created.statusCode, created.body).toBe(201);
    await settle(k, r.id);
    const [run] = await runs(k, r.id);
    expect(run?.actions[0]?.status).toBe('refused');
    expect(run).toMatchObject({ status: 'failed' });
    expect(run?.error?.message).toMatch(/private, loopback or link-local/);
    expect(calls).toEqual([]);
    await disable(k, r.id);
  });

  it('calls an allow-listed address through the job queue, with an idempotency key', async () => {
    const allowed = await WorkflowKit.create({
      worker: true,
      env: { JOINERY_OUTBOUND_ALLOWLIST: '127.0.0.1/32' },
    });
    try {
      await publishCrm(allowed);
      const r = await rule(allowed, {
        name: 'tell the risk system',
        trigger: { kind: 'record.created', form: 'customer' },
        actions: [{ type: 'call_webhook', url: hookUrl, body: { name: { var: 'name' } } }],
      });
      const created = await createRecord(allowed, 'customer', { name: 'Ma' });
      await settle(allowed, r.id);
      expect(calls).toEqual([
        {
          idempotencyKey: expect.stringMatching(/^automation:webhook:[0-9a-f-]{36}:0$/),
          rule: { id: r.id, name: 'tell the risk system' },
          trigger: 'record.created',
          record: { form: 'customer', id: created.json().id },
          data: { name: 'Ma' },
        },
      ]);
      const [run] = await runs(allowed, r.id);
      expect(run).toMatchObject({ status: 'succeeded' });
      expect(run?.actions[0]?.status).toBe('delivered');
    } finally {
      await allowed.close();
    }
  }, 60_000);
});

describe('workflow events and workflow starts', () => {
  it('starts a workflow after the triggering commit; its decisions and its end trigger rules', async () => {
    await k.publish(APP, 'customer', {
      id: 'review',
      nodes: [
        node('start', 'start', { next: 'one' }),
        step('one', [reviewer.id], 'end'),
        node('end', 'end'),
      ],
    });
    const start = await rule(k, {
      name: 'review new VIPs',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '==': [{ var: 'channel' }, 'vip'] },
      actions: [{ type: 'start_workflow', workflow: 'review' }],
    });
    const decided = await rule(k, {
      name: 'tell the owner of decisions',
      trigger: { kind: 'workflow.event', workflow: 'review', event: 'step.decided' },
      actions: [{ type: 'notify', to: { var: 'owner' }, message: '{name} was reviewed' }],
    });
    const finished = await rule(k, {
      name: 'mark reviewed customers',
      trigger: { kind: 'workflow.event', workflow: 'review', event: 'instance.finished' },
      actions: [{ type: 'set_fields', values: { status: 'reviewed' } }],
    });
    const id = (await createRecord(k, 'customer', { name: 'Gao', channel: 'vip' })).json()
      .id as string;
    await settle(k, start.id);
    const [started] = await runs(k, start.id);
    expect(started?.actions[0]?.status).toBe('started');
    const instances = await admin()('GET', '/api/admin/workflow/instances');
    const instance = instances
      .json()
      .items.find((i: { recordId: string }) => i.recordId === id) as { id: string };
    expect(instance).toBeDefined();
    await k.approve(instance.id, reviewer);
    expect((await getRecord(k, 'customer', id)).values.status).toBe('reviewed');
    const messages = (await admin()('GET', '/api/notifications')).json().items;
    expect(messages.map((m: { title: string }) => m.title)).toContain('Gao was reviewed');
    const [decidedRun] = await runs(k, decided.id);
    expect(decidedRun?.trigger).toMatchObject({
      kind: 'workflow.event',
      event: 'step.decided',
      decision: 'approved',
      instanceId: instance.id,
    });
    expect((await runs(k, finished.id))[0]?.trigger).toMatchObject({ outcome: 'approved' });
    for (const r of [start, decided, finished]) await disable(k, r.id);
  });
});

describe('owner assignment', () => {
  it('round robin within a department: concurrent creates give every salesperson an equal share', async () => {
    const sales = await k.department('Sales East');
    const people = [];
    for (const name of ['s1', 's2', 's3']) people.push(await k.user(name, { department: sales }));
    await k
      .user('s4-disabled', { department: sales })
      .then((u) =>
        k.database.db
          .updateTable('joinery.users')
          .set({ disabled: true })
          .where('id', '=', u.id)
          .execute(),
      );
    const r = await rule(k, {
      name: 'assign new leads',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '==': [{ var: 'channel' }, 'east'] },
      actions: [{ type: 'assign_owner', team: 'department:Sales East', strategy: 'round_robin' }],
    });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createRecord(k, 'customer', { name: `lead ${i}`, channel: 'east' }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(30).fill(201));
    const owners = answers.map((a) => a.json().owner as string);
    const counts = new Map<string, number>();
    for (const owner of owners) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(people.map((p) => p.id).sort());
    expect([...counts.values()]).toEqual([10, 10, 10]);
    // Taken in commit order, the owners go round: never the same person twice in a row.
    const inOrder = await k.database.db
      .selectFrom('joinery.record_history')
      .select(['changes'])
      .where('action', '=', 'update')
      .where('changes', '@>', JSON.stringify({ owner: {} }) as never)
      .orderBy('id')
      .execute();
    const sequence = inOrder
      .map((row) => (row.changes as { owner?: { to: string } }).owner?.to)
      .filter((owner): owner is string => owner !== undefined);
    expect(sequence).toHaveLength(30);
    for (let i = 1; i < sequence.length; i++) expect(sequence[i]).not.toBe(sequence[i - 1]);
    const log = await runs(k, r.id, 'limit=500');
    expect(log.filter((run) => run.status === 'succeeded')).toHaveLength(30);
    await disable(k, r.id);
  }, 60_000);

  it("the team may name the record's fields: each channel's leads go to that channel's team", async () => {
    const west = await k.department('Sales west');
    const w1 = await k.user('w1', { department: west });
    const north = await k.department('Sales north');
    const n1 = await k.user('n1', { department: north });
    const r = await rule(k, {
      name: 'leads by channel',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { in: [{ var: 'channel' }, ['west', 'north']] },
      actions: [
        { type: 'assign_owner', team: 'department:Sales {channel}', strategy: 'round_robin' },
      ],
    });
    const westLead = await createRecord(k, 'customer', { name: 'w', channel: 'west' });
    const northLead = await createRecord(k, 'customer', { name: 'n', channel: 'north' });
    expect([westLead.json().owner, northLead.json().owner]).toEqual([w1.id, n1.id]);
    await disable(k, r.id);
  });

  it('least loaded within a role, and an empty team fails the write with a clear error', async () => {
    const c1 = await k.user('collector1', { roles: ['collector'] });
    const c2 = await k.user('collector2', { roles: ['collector'] });
    const r = await rule(k, {
      name: 'assign collections',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '==': [{ var: 'channel' }, 'collect'] },
      actions: [{ type: 'assign_owner', team: 'role:collector', strategy: 'least_loaded' }],
    });
    const owners: string[] = [];
    for (let i = 0; i < 4; i++) {
      owners.push(
        (await createRecord(k, 'customer', { name: `case ${i}`, channel: 'collect' })).json().owner,
      );
    }
    expect(owners.filter((o) => o === c1.id)).toHaveLength(2);
    expect(owners.filter((o) => o === c2.id)).toHaveLength(2);
    await disable(k, r.id);
    const empty = await rule(k, {
      name: 'nobody there',
      trigger: { kind: 'record.created', form: 'customer' },
      condition: { '==': [{ var: 'channel' }, 'void'] },
      actions: [{ type: 'assign_owner', team: 'role:ghost', strategy: 'round_robin' }],
    });
    const refused = await createRecord(k, 'customer', { name: 'nobody', channel: 'void' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('JNY_AUTOMATION_TEAM_EMPTY');
    await disable(k, empty.id);
  });
});
