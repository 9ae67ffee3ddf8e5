import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// A delegate's to-do offers only tasks the engine lets them act on (four-eyes: a step that
// excludes whoever decided an earlier step excludes them as a delegate too), and a task
// offered to a group while a candidate was already away keeps "on behalf of" in the timeline.

let k: WorkflowKit;
let sam: Actor;
let ann: Actor;
let ben: Actor;
let cat: Actor;
const APP = 'standin';
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

beforeAll(async () => {
  k = await WorkflowKit.create();
  sam = await k.user('sam');
  ann = await k.user('ann', { roles: ['checker'] });
  ben = await k.user('ben');
  cat = await k.user('cat', { roles: ['checker'] });
  await k.form(APP, 'loan', [
    { id: 'f1', key: 'amount', type: 'money', label: { 'zh-CN': 'amount', en: 'amount' } },
  ]);
  await k.publish(APP, 'loan', {
    id: 'excl',
    nodes: [
      node('start', 'start', { next: 'first' }),
      step('first', [ben.id, cat.id], 'second'),
      step('second', [ann.id], 'end', { excludeDecidersOf: ['first'] }),
      node('end', 'end'),
    ],
  });
  await k.publish(APP, 'loan', {
    id: 'group',
    nodes: [
      node('start', 'start', { next: 'check' }),
      node('check', 'approval', {
        assignees: [{ kind: 'role', role: 'checker' }],
        claim: true,
        next: 'end',
      }),
      node('end', 'end'),
    ],
  });
});
afterAll(async () => {
  await k.close();
});

const submit = async (workflow: string) =>
  k.start(sam, APP, 'loan', await k.record(APP, 'loan', { amount: '10.00' }), { workflow });

async function todoIds(as: Actor): Promise<string[]> {
  const response = await k.app.inject({
    method: 'GET',
    url: '/api/workflow/tasks?box=todo&limit=200',
    headers: as.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as { items: { id: string }[]; counts: { todo: number } };
  expect(body.counts.todo).toBe(body.items.length);
  return body.items.map((t) => t.id);
}

async function decisions(instanceId: string) {
  const response = await k.app.inject({
    method: 'GET',
    url: `/api/workflow/instances/${instanceId}/timeline`,
    headers: k.admin.headers,
  });
  const entries = response.json().entries as {
    action: string;
    actor: string | null;
    onBehalfOf: string | null;
    onBehalfOfName: string | null;
  }[];
  return entries
    .filter((e) => e.action === 'claimed' || e.action === 'approved')
    .map((e) => [e.action, e.actor, e.onBehalfOf, e.onBehalfOfName]);
}

describe('a delegate’s to-do', () => {
  it('leaves out an older open task whose step excludes the delegate, and keeps the others', async () => {
    const decidedByBen = await submit('excl');
    await k.approve(decidedByBen.instanceId, ben);
    const decidedByCat = await submit('excl');
    await k.approve(decidedByCat.instanceId, cat);
    const excluded = await k.taskOf(ann, decidedByBen.instanceId, 'second');
    const eligible = await k.taskOf(ann, decidedByCat.instanceId, 'second');
    const declared = await k.app.inject({
      method: 'POST',
      url: '/api/workflow/delegations',
      headers: ann.headers,
      payload: { delegateId: ben.id, startsAt: hours(-1), endsAt: hours(48) },
    });
    expect(declared.statusCode, declared.body).toBe(201);
    const listed = await todoIds(ben);
    expect(listed).toContain(eligible.id);
    expect(listed).not.toContain(excluded.id);
    const view = await k.app.inject({
      method: 'GET',
      url: `/api/workflow/tasks/${excluded.id}`,
      headers: ben.headers,
    });
    expect(view.statusCode).toBe(404);
    expect((await k.actRaw(ben, excluded.id, { action: 'approve' })).statusCode).toBe(404);
    await k.act(ben, eligible.id, { action: 'approve' });
    expect((await decisions(decidedByCat.instanceId)).at(-1)).toEqual([
      'approved',
      ben.id,
      ann.id,
      'ann',
    ]);
  });
});

describe('a group task offered while a candidate was away', () => {
  // Ann (a checker) is away since the test above, with Ben standing in.
  it('goes to the delegate, whose approval is on the absent candidate’s behalf', async () => {
    const started = await submit('group');
    expect(started.openTasks[0]?.assignees.sort()).toEqual([ben.id, cat.id].sort());
    await k.act(ben, started.openTasks[0]?.id ?? '', { action: 'approve' });
    expect(await decisions(started.instanceId)).toEqual([['approved', ben.id, ann.id, 'ann']]);
  });

  it('keeps it through a claim', async () => {
    const started = await submit('group');
    const task = started.openTasks[0]?.id ?? '';
    await k.act(ben, task, { action: 'claim' });
    await k.act(ben, task, { action: 'approve' });
    expect(await decisions(started.instanceId)).toEqual([
      ['claimed', ben.id, ann.id, 'ann'],
      ['approved', ben.id, ann.id, 'ann'],
    ]);
  });
});

describe('the task row and the inbox say who acts and on whose behalf', () => {
  // Ann is still away, with Ben standing in; Cat is the other checker.
  const row = async (taskId: string) =>
    k.db
      .selectFrom('joinery.workflow_tasks')
      .select(['status', 'claimed_by', 'closed_by', 'on_behalf_of', 'close_reason'])
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
  const box = async (as: Actor, name: 'todo' | 'done') => {
    const response = await k.app.inject({
      method: 'GET',
      url: `/api/workflow/tasks?box=${name}&limit=200`,
      headers: as.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { items: { id: string; onBehalfOf: string | null }[] }).items;
  };

  it('a claim records the absent candidate, a release clears it, a transfer closes on their behalf', async () => {
    const started = await submit('group');
    const task = started.openTasks[0]?.id ?? '';
    expect(await row(task)).toMatchObject({ claimed_by: null, on_behalf_of: null });

    await k.act(ben, task, { action: 'claim' });
    expect(await row(task)).toMatchObject({ claimed_by: ben.id, on_behalf_of: ann.id });
    expect((await box(ben, 'todo')).find((t) => t.id === task)?.onBehalfOf).toBe(ann.id);

    await k.act(ben, task, { action: 'release' });
    expect(await row(task)).toMatchObject({ claimed_by: null, on_behalf_of: null });
    expect((await box(ben, 'todo')).find((t) => t.id === task)?.onBehalfOf).toBeNull();

    await k.act(ben, task, { action: 'claim' });
    await k.act(ben, task, { action: 'transfer', to: cat.id });
    expect(await row(task)).toEqual({
      status: 'closed',
      claimed_by: ben.id,
      closed_by: ben.id,
      on_behalf_of: ann.id,
      close_reason: 'transferred',
    });
    const timeline = await k.app.inject({
      method: 'GET',
      url: `/api/workflow/instances/${started.instanceId}/timeline`,
      headers: ann.headers,
    });
    const transferred = (
      timeline.json().entries as { action: string; actor: string; onBehalfOf: string | null }[]
    ).find((e) => e.action === 'transferred');
    expect(transferred).toMatchObject({ actor: ben.id, onBehalfOf: ann.id });
    // The absent user finds in their done box what was done on their behalf; the delegate too.
    expect((await box(ann, 'done')).find((t) => t.id === task)?.onBehalfOf).toBe(ann.id);
    expect((await box(ben, 'done')).map((t) => t.id)).toContain(task);
    // Cat acts for herself on the task she was given.
    const next = (await k.instance(started.instanceId)).openTasks[0];
    expect(next?.assignees).toEqual([cat.id]);
    expect(await row(next?.id ?? '')).toMatchObject({ on_behalf_of: null });
  });

  it('an offered task decided by the delegate without a claim is closed on the absent user’s behalf', async () => {
    const started = await submit('group');
    const task = started.openTasks[0]?.id ?? '';
    await k.act(ben, task, { action: 'approve' });
    expect(await row(task)).toMatchObject({
      closed_by: ben.id,
      on_behalf_of: ann.id,
      close_reason: 'approved',
    });
  });
});
