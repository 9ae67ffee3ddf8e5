import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// Absence delegation (请假代理) through the API on PostgreSQL: declaring an absence (checked
// field by field), tasks opened during it going to the delegate, open ones the delegate may
// take over, the timeline's "on behalf of", and four-eyes rules holding for delegates.

let k: WorkflowKit;
let sam: Actor;
let ann: Actor;
let ben: Actor;
let cat: Actor;
let dan: Actor;
const APP = 'absence';
const label = (text: string) => ({ 'zh-CN': text, en: text });
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

beforeAll(async () => {
  k = await WorkflowKit.create();
  sam = await k.user('sam');
  ann = await k.user('ann');
  ben = await k.user('ben');
  cat = await k.user('cat');
  dan = await k.user('dan');
  await k.form(APP, 'loan', [{ id: 'f1', key: 'amount', type: 'money', label: label('amount') }]);
});
afterAll(async () => {
  await k.close();
});

function declare(as: Actor, body: Record<string, unknown>, language = 'en') {
  return k.app.inject({
    method: 'POST',
    url: '/api/workflow/delegations',
    headers: { ...as.headers, 'accept-language': language },
    payload: body,
  });
}

async function flowFor(key: string, reviewer: Actor) {
  await k.publish(APP, 'loan', {
    id: key,
    nodes: [
      node('start', 'start', { next: 'review' }),
      step('review', [reviewer.id], 'end'),
      node('end', 'end'),
    ],
  });
}

async function submit(as: Actor, workflow: string, amount: string) {
  return k.start(as, APP, 'loan', await k.record(APP, 'loan', { amount }), { workflow });
}

async function timelineOf(as: Actor, instanceId: string) {
  const response = await k.app.inject({
    method: 'GET',
    url: `/api/workflow/instances/${instanceId}/timeline`,
    headers: as.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().entries as { action: string }[];
}

async function todo(as: Actor): Promise<{ id: string; instanceId: string }[]> {
  const response = await k.app.inject({
    method: 'GET',
    url: '/api/workflow/tasks?box=todo',
    headers: as.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

describe('declaring an absence', () => {
  it('checks every field and names it, in zh-CN and en, writing nothing', async () => {
    const backwards = await declare(
      ann,
      { delegateId: ann.id, startsAt: hours(5), endsAt: hours(1) },
      'zh-CN',
    );
    expect(backwards.statusCode).toBe(400);
    const error = backwards.json().error;
    expect(error.code).toBe('JNY_WORKFLOW_RUNTIME_DELEGATION_INVALID');
    expect(error.message).toBe('代理设置无效，请检查标出的字段');
    expect(error.fields).toEqual([
      { field: '/body/delegateId', reason: '不能委托给自己' },
      { field: '/body/endsAt', reason: '结束时间必须晚于开始时间' },
    ]);
    const past = await declare(ann, { delegateId: ben.id, startsAt: hours(-5), endsAt: hours(-1) });
    expect(past.json().error.fields).toEqual([
      { field: '/body/endsAt', reason: 'Must be in the future' },
    ]);
    const unknown = await declare(ann, {
      delegateId: '00000000-0000-4000-8000-000000000000',
      startsAt: hours(0),
      endsAt: hours(1),
    });
    expect(unknown.json().error.fields[0].field).toBe('/body/delegateId');
    const badDate = await declare(ann, { delegateId: ben.id, startsAt: 'soon', endsAt: hours(1) });
    expect(badDate.statusCode).toBe(400);
    expect(JSON.stringify(badDate.json().error)).toContain('startsAt');
    const stored = await k.db.selectFrom('joinery.workflow_delegations').selectAll().execute();
    expect(stored).toEqual([]);
  });

  it('only administrators declare for someone else; ranges of one user may not overlap', async () => {
    const forOther = await declare(ann, {
      userId: cat.id,
      delegateId: ben.id,
      startsAt: hours(0),
      endsAt: hours(1),
    });
    expect(forOther.statusCode).toBe(403);
    const byAdmin = await declare(k.admin, {
      userId: cat.id,
      delegateId: ben.id,
      startsAt: hours(100),
      endsAt: hours(120),
    });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    expect(byAdmin.json()).toMatchObject({
      userId: cat.id,
      delegateId: ben.id,
      createdBy: k.admin.id,
    });
    const overlapping = await declare(cat, {
      delegateId: dan.id,
      startsAt: hours(110),
      endsAt: hours(130),
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().error.code).toBe('JNY_WORKFLOW_RUNTIME_DELEGATION_OVERLAPS');
    // The delegate sees it among the absences they cover; a stranger cannot cancel it.
    const listed = await k.app.inject({
      method: 'GET',
      url: '/api/workflow/delegations',
      headers: ben.headers,
    });
    expect(listed.json().items.map((d: { id: string }) => d.id)).toContain(byAdmin.json().id);
    const cancelByStranger = await k.app.inject({
      method: 'POST',
      url: `/api/workflow/delegations/${byAdmin.json().id}/cancel`,
      headers: dan.headers,
    });
    expect(cancelByStranger.statusCode).toBe(404);
    const cancelled = await k.app.inject({
      method: 'POST',
      url: `/api/workflow/delegations/${byAdmin.json().id}/cancel`,
      headers: cat.headers,
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().cancelledAt).not.toBeNull();
  });
});

describe('tasks during an absence', () => {
  it('go to the delegate, who acts on behalf of the absent user (timeline says so)', async () => {
    const declared = await declare(ann, {
      delegateId: ben.id,
      startsAt: hours(-1),
      endsAt: hours(48),
    });
    expect(declared.statusCode, declared.body).toBe(201);
    await flowFor('to-ann', ann);
    const started = await submit(sam, 'to-ann', '10.00');
    expect(started.openTasks[0]?.assignees).toEqual([ben.id]);
    expect(await todo(ann)).toEqual([]);
    await k.approve(started.instanceId, ben);
    const approved = (await timelineOf(ann, started.instanceId)).find(
      (e) => e.action === 'approved',
    );
    expect(approved).toMatchObject({ actor: ben.id, onBehalfOf: ann.id, onBehalfOfName: 'ann' });
  });

  it('skip a delegate who submitted the record (four-eyes): the task stays with the absent user', async () => {
    const started = await submit(ben, 'to-ann', '20.00');
    expect(started.openTasks[0]?.assignees).toEqual([ann.id]);
    const task = started.openTasks[0]?.id ?? '';
    expect((await todo(ben)).map((t) => t.id)).not.toContain(task);
    const refused = await k.actRaw(ben, task, { action: 'approve' });
    expect(refused.statusCode).toBe(404);
  });

  it('hands open tasks over: the delegate sees and decides tasks opened before the absence', async () => {
    await flowFor('to-dan', dan);
    const started = await submit(sam, 'to-dan', '30.00');
    const task = started.openTasks[0]?.id ?? '';
    expect(started.openTasks[0]?.assignees).toEqual([dan.id]);
    expect((await todo(cat)).map((t) => t.id)).not.toContain(task);
    const declared = await declare(dan, {
      delegateId: cat.id,
      startsAt: hours(-1),
      endsAt: hours(2),
    });
    expect(declared.statusCode).toBe(201);
    expect((await todo(cat)).map((t) => t.id)).toContain(task);
    const view = await k.app.inject({
      method: 'GET',
      url: `/api/workflow/tasks/${task}`,
      headers: cat.headers,
    });
    expect(view.statusCode, view.body).toBe(200);
    // New tasks for dan go to cat while dan is away.
    const other = await submit(sam, 'to-dan', '31.00');
    expect(other.openTasks[0]?.assignees).toEqual([cat.id]);
    await k.act(cat, task, { action: 'approve', comment: 'for dan' });
    const entries = await timelineOf(cat, started.instanceId);
    expect(entries.find((e) => e.action === 'approved')).toMatchObject({
      actor: cat.id,
      onBehalfOf: dan.id,
      comment: 'for dan',
    });
    // Cancelled, the absence hands nothing over any more.
    await k.app.inject({
      method: 'POST',
      url: `/api/workflow/delegations/${declared.json().id}/cancel`,
      headers: dan.headers,
    });
    const third = await submit(sam, 'to-dan', '32.00');
    expect(third.openTasks[0]?.assignees).toEqual([dan.id]);
    expect((await todo(cat)).map((t) => t.instanceId)).not.toContain(third.instanceId);
  });
});
