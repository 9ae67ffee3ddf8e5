import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// The workflow API beyond control flow: publishing and versions, idempotency, field
// permissions through the records runtime, who may see what, the inbox, the timeline, admin
// views, external events and webhooks.

let k: WorkflowKit;
let s: Actor;
let a: Actor;
let b: Actor;
let stranger: Actor;
let hook: Server;
let hookCalls: unknown[] = [];
const APP = 'api';
const label = (text: string) => ({ 'zh-CN': text, en: text });

beforeAll(async () => {
  hook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      hookCalls.push(JSON.parse(body || 'null'));
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ patch: { note: 'scored by the risk system' } }));
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  k = await WorkflowKit.create({
    worker: true,
    env: { JOINERY_OUTBOUND_ALLOWLIST: `127.0.0.1/32` },
  });
  s = await k.user('sam');
  a = await k.user('ann', { roles: ['reviewer'] });
  b = await k.user('ben', { roles: ['reviewer'] });
  stranger = await k.user('stranger');
  await k.form(APP, 'loan', [
    { id: 'f1', key: 'amount', type: 'money', label: label('amount') },
    { id: 'f2', key: 'score', type: 'number', label: label('score') },
    { id: 'f3', key: 'note', type: 'text', label: label('note') },
    { id: 'f4', key: 'secret', type: 'text', label: label('secret') },
  ]);
});
afterAll(async () => {
  await k.close();
  hook.close();
});

const loan = (values: Record<string, unknown> = {}) =>
  k.record(APP, 'loan', { amount: '1000.00', ...values });

async function publishFlow(key: string, nodes: object[]) {
  return k.publish(APP, 'loan', { id: key, nodes });
}

describe('publishing workflow definitions', () => {
  it('refuses an invalid graph with 400, naming each node at fault, and only admins publish', async () => {
    const invalid = await k.app.inject({
      method: 'POST',
      url: `/api/apps/${APP}/forms/loan/workflows`,
      headers: { ...k.admin.headers, 'accept-language': 'en' },
      payload: {
        id: 'broken',
        nodes: [
          node('start', 'start', { next: 'review' }),
          step('review', [a.id], 'nowhere'),
          node('orphan', 'approval', { assignees: [], next: 'end' }),
          node('end', 'end'),
        ],
      },
    });
    expect(invalid.statusCode).toBe(400);
    const body = invalid.json().error;
    expect(body.code).toBe('JNY_WORKFLOW_DEFINITION_INVALID');
    const fields = body.fields.map((f: { field: string }) => f.field).join(' ');
    expect(fields).toMatch(/\/nodes\/(orphan|review)/);
    const asUser = await k.app.inject({
      method: 'POST',
      url: `/api/apps/${APP}/forms/loan/workflows`,
      headers: a.headers,
      payload: { id: 'x', nodes: [node('start', 'start', { next: 'end' }), node('end', 'end')] },
    });
    expect(asUser.statusCode).toBe(403);
  });

  it('keeps running instances on the version they started with', async () => {
    const v1 = await publishFlow('versions', [
      node('start', 'start', { next: 'one' }),
      step('one', [a.id], 'end'),
      node('end', 'end'),
    ]);
    const old = await k.start(s, APP, 'loan', await loan(), { workflow: 'versions' });
    const v2 = await publishFlow('versions', [
      node('start', 'start', { next: 'one' }),
      step('one', [a.id], 'two'),
      step('two', [b.id], 'end'),
      node('end', 'end'),
    ]);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const fresh = await k.start(s, APP, 'loan', await loan(), { workflow: 'versions' });
    expect((await k.approve(old.instanceId, a))?.outcome).toBe('approved');
    expect((await k.approve(fresh.instanceId, a))?.openTasks.map((t) => t.nodeId)).toEqual(['two']);
    const listed = await k.app.inject({
      method: 'GET',
      url: `/api/apps/${APP}/forms/loan/workflows?all=true`,
      headers: k.admin.headers,
    });
    const versions = listed
      .json()
      .items.filter((w: { key: string }) => w.key === 'versions')
      .map((w: { version: number }) => w.version);
    expect(versions).toEqual([2, 1]);
  });
});

describe('idempotency and one live instance per record', () => {
  it('answers a retried action with the first answer and acts once; refuses the key for another request', async () => {
    await publishFlow('idem', [
      node('start', 'start', { next: 'one' }),
      step('one', [a.id], 'two'),
      step('two', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const recordId = await loan();
    const started = await k.start(s, APP, 'loan', recordId, { workflow: 'idem', key: 'start-1' });
    const again = await k.start(s, APP, 'loan', recordId, { workflow: 'idem', key: 'start-1' });
    expect(again).toEqual(started);
    const duplicate = await k.app.inject({
      method: 'POST',
      url: '/api/workflow/instances',
      headers: s.headers,
      payload: { app: APP, form: 'loan', recordId, workflow: 'idem' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('JNY_WORKFLOW_RUNTIME_ALREADY_RUNNING');

    const task = await k.taskOf(a, started.instanceId);
    const [first, second] = await Promise.all([
      k.actRaw(a, task.id, { action: 'approve', comment: 'ok' }, 'approve-1'),
      k.actRaw(a, task.id, { action: 'approve', comment: 'ok' }, 'approve-1'),
    ]);
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json()).toEqual(first.json());
    const third = await k.actRaw(a, task.id, { action: 'approve', comment: 'ok' }, 'approve-1');
    expect(third.json()).toEqual(first.json());
    const approvals = (await k.timeline(started.instanceId)).filter((e) => e === 'approved@one');
    expect(approvals).toHaveLength(1);
    const reused = await k.actRaw(a, task.id, { action: 'reject' }, 'approve-1');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('JNY_WORKFLOW_RUNTIME_KEY_REUSED');
  });
});

describe('field permissions and visibility', () => {
  let instanceId: string;
  let recordId: string;

  beforeAll(async () => {
    await publishFlow('fields', [
      node('start', 'start', { next: 'review' }),
      step('review', [a.id], 'end', {
        fields: { hidden: ['secret'], editable: ['score', 'note'] },
      }),
      node('end', 'end'),
    ]);
    recordId = await loan({ secret: 'only for the submitter', score: 1 });
    instanceId = (await k.start(s, APP, 'loan', recordId, { workflow: 'fields' })).instanceId;
  });

  it('shows the assignee only the fields of the step, and the task to nobody else', async () => {
    const task = await k.taskOf(a, instanceId);
    const view = await k.app.inject({
      method: 'GET',
      url: `/api/workflow/tasks/${task.id}`,
      headers: a.headers,
    });
    expect(view.statusCode).toBe(200);
    expect(view.json().record).not.toHaveProperty('secret');
    expect(view.json().editableFields).toEqual(['score', 'note']);
    for (const who of [stranger, b]) {
      const hidden = await k.app.inject({
        method: 'GET',
        url: `/api/workflow/tasks/${task.id}`,
        headers: who.headers,
      });
      expect(hidden.statusCode).toBe(404);
      const timeline = await k.app.inject({
        method: 'GET',
        url: `/api/workflow/instances/${instanceId}/timeline`,
        headers: who.headers,
      });
      expect(timeline.statusCode).toBe(404);
      const acting = await k.actRaw(who, task.id, { action: 'approve' });
      expect(acting.statusCode).toBe(404);
    }
    expect((await k.timeline(instanceId, s)).length).toBeGreaterThan(0);
  });

  it('refuses edits of fields the step does not allow, and invalid values, changing nothing', async () => {
    const task = await k.taskOf(a, instanceId);
    const forbidden = await k.actRaw(a, task.id, { action: 'approve', patch: { secret: 'x' } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('JNY_WORKFLOW_FIELDS_NOT_EDITABLE');
    const invalid = await k.actRaw(a, task.id, { action: 'approve', patch: { score: 'high' } });
    expect(invalid.statusCode).toBe(400);
    expect(await k.openNodes(instanceId)).toEqual(['review']);
    expect((await k.readRecord(APP, 'loan', recordId)).score).toBe(1);
    const done = await k.act(a, task.id, {
      action: 'approve',
      patch: { score: 720, note: 'income checked' },
      comment: 'fine',
    });
    expect(done.outcome).toBe('approved');
    expect(await k.readRecord(APP, 'loan', recordId)).toMatchObject({
      score: 720,
      note: 'income checked',
    });
    const history = await k.app.inject({
      method: 'GET',
      url: `/api/apps/${APP}/forms/loan/records/${recordId}/history`,
      headers: k.admin.headers,
    });
    expect(history.body).toContain('income checked');
  });
});

describe('inbox, timeline and actions on offered tasks', () => {
  it('lists to-do, done, CC and started with counts; claim, release, transfer, add a signer', async () => {
    await publishFlow('inbox', [
      node('start', 'start', { next: 'cc' }),
      node('cc', 'notify', { to: [{ kind: 'users', userIds: [stranger.id] }], next: 'pool' }),
      node('pool', 'approval', {
        assignees: [{ kind: 'role', role: 'reviewer' }],
        claim: true,
        next: 'end',
      }),
      node('end', 'end'),
    ]);
    const started = await k.start(s, APP, 'loan', await loan(), { workflow: 'inbox' });
    const id = started.instanceId;
    const inbox = async (who: Actor, box: string) => {
      const response = await k.app.inject({
        method: 'GET',
        url: `/api/workflow/tasks?box=${box}&app=${APP}`,
        headers: who.headers,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as {
        items: { instanceId: string }[];
        counts: Record<string, number>;
      };
    };
    const offered = await k.taskOf(a, id);
    expect((await k.taskOf(b, id)).id).toBe(offered.id);
    await k.act(a, offered.id, { action: 'claim' });
    expect((await inbox(b, 'todo')).items.filter((t) => t.instanceId === id)).toEqual([]);
    const claimedByOther = await k.actRaw(b, offered.id, { action: 'approve' });
    expect(claimedByOther.statusCode).toBe(409);
    await k.act(a, offered.id, { action: 'release' });
    await k.act(b, offered.id, { action: 'claim' });
    const transferred = await k.act(b, offered.id, {
      action: 'transfer',
      to: a.id,
      comment: 'you know this customer',
    });
    const mine = transferred.openTasks[0];
    expect(mine?.assignees).toEqual([a.id]);
    const added = await k.act(a, mine?.id ?? '', {
      action: 'add-signer',
      userIds: [b.id],
      position: 'after',
    });
    expect(added.openTasks.map((t) => t.assignees)).toEqual([[a.id]]);
    await k.approve(id, a);
    expect(await k.openNodes(id)).toEqual(['pool']);
    await k.approve(id, b);
    expect((await k.instance(id)).outcome).toBe('approved');

    const cc = await inbox(stranger, 'cc');
    expect(cc.items.map((i) => i.instanceId)).toContain(id);
    expect(cc.counts.cc).toBeGreaterThanOrEqual(1);
    expect((await inbox(s, 'started')).items.map((i) => i.instanceId)).toContain(id);
    const done = await inbox(b, 'done');
    expect(done.items.filter((t) => t.instanceId === id)).toHaveLength(2);
    expect(done.counts.done).toBe(done.items.length);

    const timeline = await k.app.inject({
      method: 'GET',
      url: `/api/workflow/instances/${id}/timeline`,
      headers: s.headers,
    });
    const entries = timeline.json().entries as { action: string; actorName: string | null }[];
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['started', 'cc', 'transferred', 'approved', 'ended']),
    );
    expect(entries.find((e) => e.action === 'transferred')?.actorName).toBe('ben');
    expect(timeline.json().steps).toEqual([
      expect.objectContaining({ nodeId: 'pool', decisions: expect.any(Number) }),
    ]);
  });

  it('lets the submitter withdraw before the first decision only', async () => {
    await publishFlow('withdraw', [
      node('start', 'start', { next: 'one' }),
      step('one', [a.id], 'two'),
      step('two', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const early = await k.start(s, APP, 'loan', await loan(), { workflow: 'withdraw' });
    const withdrawn = await k.actOnInstance(s, early.instanceId, { action: 'withdraw' });
    expect(withdrawn).toMatchObject({ outcome: 'cancelled', openTasks: [] });
    const late = await k.start(s, APP, 'loan', await loan(), { workflow: 'withdraw' });
    await k.approve(late.instanceId, a);
    const refused = await k.app.inject({
      method: 'POST',
      url: `/api/workflow/instances/${late.instanceId}/actions`,
      headers: s.headers,
      payload: { action: 'withdraw' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('JNY_WORKFLOW_WITHDRAW_TOO_LATE');
  });
});

describe('administration, external events and webhooks', () => {
  it('lists running instances and moves a stuck one, logged in the timeline', async () => {
    await publishFlow('stuck', [
      node('start', 'start', { next: 'one' }),
      step('one', [a.id], 'two'),
      step('two', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const started = await k.start(s, APP, 'loan', await loan(), { workflow: 'stuck' });
    const list = await k.app.inject({
      method: 'GET',
      url: `/api/admin/workflow/instances?app=${APP}&form=loan`,
      headers: k.admin.headers,
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(started.instanceId);
    const asUser = await k.app.inject({
      method: 'GET',
      url: '/api/admin/workflow/instances',
      headers: a.headers,
    });
    expect(asUser.statusCode).toBe(403);
    const moved = await k.app.inject({
      method: 'POST',
      url: `/api/admin/workflow/instances/${started.instanceId}/move`,
      headers: k.admin.headers,
      payload: { nodeId: 'two', comment: 'ann is on leave' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().openTasks.map((t: { nodeId: string }) => t.nodeId)).toEqual(['two']);
    expect(await k.timeline(started.instanceId)).toContain('moved@two');
  });

  it('keeps an external event that arrives before the instance waits for it', async () => {
    await publishFlow('event', [
      node('start', 'start', { next: 'one' }),
      step('one', [a.id], 'wait'),
      node('wait', 'wait', { wait: { kind: 'event', name: 'credit-report' }, next: 'two' }),
      step('two', [b.id], 'end'),
      node('end', 'end'),
    ]);
    const early = await k.start(s, APP, 'loan', await loan(), { workflow: 'event' });
    const deliver = (instanceId: string) =>
      k.app.inject({
        method: 'POST',
        url: `/api/workflow/instances/${instanceId}/events`,
        headers: k.admin.headers,
        payload: { name: 'credit-report', payload: { score: 700 } },
      });
    expect((await deliver(early.instanceId)).statusCode).toBe(200);
    expect((await k.approve(early.instanceId, a))?.openTasks.map((t) => t.nodeId)).toEqual(['two']);
    const late = await k.start(s, APP, 'loan', await loan(), { workflow: 'event' });
    expect((await k.approve(late.instanceId, a))?.openTasks).toEqual([]);
    const delivered = await deliver(late.instanceId);
    expect(delivered.json().openTasks.map((t: { nodeId: string }) => t.nodeId)).toEqual(['two']);
  });

  it('calls an allow-listed webhook from a job and writes its answer back to the record', async () => {
    const port = (hook.address() as AddressInfo).port;
    await publishFlow('hook', [
      node('start', 'start', { next: 'score' }),
      node('score', 'automated', {
        actions: [
          {
            kind: 'webhook',
            url: `http://127.0.0.1:${port}/score`,
            body: { hello: 'risk' },
            awaitResult: true,
          },
        ],
        next: 'review',
      }),
      step('review', [a.id], 'end'),
      node('end', 'end'),
    ]);
    hookCalls = [];
    const recordId = await loan();
    const started = await k.start(s, APP, 'loan', recordId, { workflow: 'hook' });
    expect(started.openTasks).toEqual([]);
    await waitFor(async () => (await k.openNodes(started.instanceId)).length === 1);
    expect(hookCalls).toEqual([{ hello: 'risk' }]);
    expect((await k.readRecord(APP, 'loan', recordId)).note).toBe('scored by the risk system');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
