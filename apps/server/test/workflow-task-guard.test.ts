import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Actor, node, WorkflowKit } from './workflow-kit.ts';

// Task actions and the to-do list go through the record guard: acting on a task whose record
// the actor may no longer view (row scope changed, role removed) answers 404 and changes
// nothing; field edits carried by an action need the actor's write right on each field; the
// to-do list holds only records the viewer may view, and shows of them only what they may
// read (personal data masked), with a bounded number of queries per page. Two roles: `east`
// (rows of region east, no `secret`, phone masked, may write `score` only) and `head` (all
// rows, phone clear, may write every field).

let k: WorkflowKit;
let sam: Actor;
let eve: Actor;
let hal: Actor;
const APP = 'guarded';
const label = (text: string) => ({ 'zh-CN': text, en: text });
const PHONE = '13812345678';

beforeAll(async () => {
  k = await WorkflowKit.create();
  await k.form(APP, 'loan', [
    { id: 'f1', key: 'region', type: 'text', label: label('region') },
    { id: 'f2', key: 'secret', type: 'text', label: label('secret') },
    { id: 'f3', key: 'phone', type: 'mobile', label: label('phone') },
    { id: 'f4', key: 'amount', type: 'money', label: label('amount') },
    { id: 'f5', key: 'score', type: 'number', label: label('score') },
  ]);
  await k.role('east', APP, {
    loan: {
      actions: ['view', 'edit'],
      rows: { logic: { '==': [{ var: 'region' }, 'east'] } },
      fields: { '*': { write: false }, secret: { read: false }, score: { write: true } },
    },
  });
  await k.role('head', APP, {
    loan: {
      actions: ['view', 'edit'],
      rows: 'all',
      fields: { phone: { unmask: true } },
    },
  });
  sam = await k.user('sam');
  eve = await k.user('eve', { roles: ['east'], recordsRole: false });
  hal = await k.user('hal', { roles: ['head'], recordsRole: false });
  await k.publish(APP, 'loan', {
    id: 'review',
    nodes: [
      node('start', 'start', { next: 'review' }),
      node('review', 'approval', {
        assignees: [{ kind: 'users', userIds: [eve.id, hal.id] }],
        countersign: { kind: 'all' },
        fields: { editable: ['score', 'amount'] },
        next: 'end',
      }),
      node('end', 'end'),
    ],
  });
});
afterAll(async () => {
  await k.close();
});

interface TodoItem {
  id: string;
  instanceId: string;
  record: Record<string, unknown> | null;
}

async function todo(as: Actor): Promise<{ items: TodoItem[]; counts: { todo: number } }> {
  const response = await k.app.inject({
    method: 'GET',
    url: '/api/workflow/tasks?box=todo&limit=200',
    headers: as.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function started(region: string) {
  const recordId = await k.record(APP, 'loan', {
    region,
    secret: 's3cret',
    phone: PHONE,
    amount: '5000.00',
  });
  const summary = await k.start(sam, APP, 'loan', recordId, { workflow: 'review' });
  const taskOf = (who: Actor) => summary.openTasks.find((t) => t.assignees.includes(who.id))?.id;
  return {
    recordId,
    instanceId: summary.instanceId,
    eveTask: taskOf(eve) ?? '',
    halTask: taskOf(hal) ?? '',
  };
}

const act = (as: Actor, task: string, body: Record<string, unknown>) =>
  k.app.inject({
    method: 'POST',
    url: `/api/workflow/tasks/${task}/actions`,
    headers: { ...as.headers, 'accept-language': 'en' },
    payload: body,
  });

async function moveTo(recordId: string, region: string): Promise<void> {
  const current = await k.app.inject({
    method: 'GET',
    url: `/api/apps/${APP}/forms/loan/records/${recordId}`,
    headers: k.admin.headers,
  });
  const { version } = current.json() as { version: number };
  const response = await k.app.inject({
    method: 'PATCH',
    url: `/api/apps/${APP}/forms/loan/records/${recordId}`,
    headers: k.admin.headers,
    payload: { version, values: { region } },
  });
  expect(response.statusCode, response.body).toBe(200);
}

describe('task actions go through the record guard', () => {
  it('a task whose record left the actor’s row scope answers 404 to every action and changes nothing', async () => {
    const loan = await started('east');
    expect((await todo(eve)).items.map((t) => t.id)).toContain(loan.eveTask);
    await moveTo(loan.recordId, 'west');
    for (const body of [
      { action: 'approve' },
      { action: 'reject' },
      { action: 'return', target: { kind: 'submitter' } },
      { action: 'transfer', to: sam.id },
      { action: 'add-signer', userIds: [sam.id] },
      { action: 'comment', comment: 'still here?' },
    ]) {
      const refused = await act(eve, loan.eveTask, body);
      expect(refused.statusCode, body.action).toBe(404);
      expect(refused.json().error.code).toBe('JNY_WORKFLOW_TASK_NOT_FOUND');
    }
    expect((await k.instance(loan.instanceId)).openTasks.map((t) => t.id).sort()).toEqual(
      [loan.eveTask, loan.halTask].sort(),
    );
    expect((await k.timeline(loan.instanceId)).filter((a) => a !== 'started')).toEqual([]);
    const mine = await todo(eve);
    expect(mine.items.map((t) => t.id)).not.toContain(loan.eveTask);
    expect(mine.counts.todo).toBe(mine.items.length);
    // Someone whose scope still holds the record acts as before.
    expect((await act(hal, loan.halTask, { action: 'approve' })).statusCode).toBe(200);
  });

  it('field edits carried by an approval need the actor’s write right on each field', async () => {
    const loan = await started('east');
    const view = await k.app.inject({
      method: 'GET',
      url: `/api/workflow/tasks/${loan.eveTask}`,
      headers: eve.headers,
    });
    expect(view.json().editableFields).toEqual(['score']);
    const refused = await act(eve, loan.eveTask, {
      action: 'approve',
      patch: { score: 700, amount: '1.00' },
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'JNY_WORKFLOW_RUNTIME_FIELDS_NOT_WRITABLE',
      fields: [expect.objectContaining({ field: '/body/patch/amount' })],
    });
    expect(await k.readRecord(APP, 'loan', loan.recordId)).toMatchObject({
      amount: '5000.00',
      score: null,
    });
    expect((await k.instance(loan.instanceId)).openTasks).toHaveLength(2);
    expect(
      (await act(eve, loan.eveTask, { action: 'approve', patch: { score: 700 } })).statusCode,
    ).toBe(200);
    expect(
      (await act(hal, loan.halTask, { action: 'approve', patch: { amount: '4000.00' } }))
        .statusCode,
    ).toBe(200);
    expect(await k.readRecord(APP, 'loan', loan.recordId)).toMatchObject({
      amount: '4000.00',
      score: 700,
    });
  });
});

describe('the to-do list goes through the record guard', () => {
  it('shows of each record only what the viewer may read, personal data masked', async () => {
    const east = await started('east');
    const west = await started('west');
    const eveItems = (await todo(eve)).items;
    expect(eveItems.map((t) => t.id)).not.toContain(west.eveTask);
    const eveLine = eveItems.find((t) => t.id === east.eveTask);
    expect(eveLine?.record).toMatchObject({ region: 'east', amount: '5000.00' });
    expect(eveLine?.record).not.toHaveProperty('secret');
    expect(eveLine?.record?.phone).toMatch(/\*/);
    const halItems = (await todo(hal)).items;
    expect(halItems.find((t) => t.id === west.halTask)?.record).toMatchObject({
      region: 'west',
      secret: 's3cret',
      phone: PHONE,
    });
  });

  it('costs the same number of queries for a page of 2 tasks and one of 8', async () => {
    const user = await k.user(`quiet-${Date.now()}`, { roles: ['head'], recordsRole: false });
    await k.publish(APP, 'loan', {
      id: 'quiet',
      nodes: [
        node('start', 'start', { next: 'review' }),
        node('review', 'approval', {
          assignees: [{ kind: 'users', userIds: [user.id] }],
          next: 'end',
        }),
        node('end', 'end'),
      ],
    });
    const queriesFor = async () => {
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        await todo(user);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const add = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const record = await k.record(APP, 'loan', { region: 'east', phone: PHONE });
        await k.start(sam, APP, 'loan', record, { workflow: 'quiet' });
      }
    };
    await add(2);
    const two = await queriesFor();
    await add(6);
    expect((await todo(user)).items).toHaveLength(8);
    const eight = await queriesFor();
    // A published form may be re-checked (one query) between the two requests.
    expect(eight - two).toBeLessThanOrEqual(1);
  });

  it('a removed role takes the task off the list and refuses its actions', async () => {
    const loan = await started('east');
    await sql`DELETE FROM joinery.user_roles WHERE user_id = ${eve.id}::uuid`.execute(
      k.database.db,
    );
    expect((await todo(eve)).items).toEqual([]);
    expect((await act(eve, loan.eveTask, { action: 'approve' })).statusCode).toBe(404);
    expect((await k.instance(loan.instanceId)).openTasks).toHaveLength(2);
  });
});
