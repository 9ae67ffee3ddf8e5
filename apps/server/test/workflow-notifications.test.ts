import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { automationDb } from '../src/automation/automation-tables.ts';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// The notifications a user reads, through the one notifications API: CC steps write workflow
// ones, automation rules open tasks and messages (with a due time); the owner lists both unread
// first and paged, with counts, marks one or all read — and nobody sees or marks anyone else's.

let k: WorkflowKit;
let sam: Actor;
let rev: Actor;
let xia: Actor;
let yan: Actor;
const APP = 'notes';

beforeAll(async () => {
  k = await WorkflowKit.create();
  sam = await k.user('sam');
  rev = await k.user('rev');
  xia = await k.user('xia');
  yan = await k.user('yan');
  await k.form(APP, 'loan', [
    { id: 'f1', key: 'amount', type: 'money', label: { 'zh-CN': '金额', en: 'amount' } },
  ]);
  await k.publish(APP, 'loan', {
    id: 'cc',
    nodes: [
      node('start', 'start', { next: 'cc' }),
      node('cc', 'notify', {
        to: [{ kind: 'users', userIds: [xia.id] }],
        message: 'FYI',
        next: 'review',
      }),
      step('review', [rev.id], 'end'),
      node('end', 'end'),
    ],
  });
});
afterAll(async () => {
  await k.close();
});

interface Listed {
  items: {
    id: string;
    source: string;
    kind: string;
    instanceId: string | null;
    title: string | null;
    message: string | null;
    dueAt: string | null;
    readAt: string | null;
  }[];
  total: number;
  unread: number;
}

async function list(as: Actor, query = ''): Promise<Listed> {
  const response = await k.app.inject({
    method: 'GET',
    url: `/api/notifications${query}`,
    headers: as.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Listed;
}

function markRead(as: Actor, id: string) {
  return k.app.inject({
    method: 'POST',
    url: `/api/notifications/${id}/read`,
    headers: { ...as.headers, 'accept-language': 'zh-CN' },
  });
}

describe('notifications', () => {
  it('lists the caller’s own, unread first and paged; marks one and all read', async () => {
    const instances: string[] = [];
    for (const amount of ['1.00', '2.00', '3.00']) {
      const started = await k.start(sam, APP, 'loan', await k.record(APP, 'loan', { amount }));
      instances.push(started.instanceId);
    }
    const first = await list(xia);
    expect(first).toMatchObject({ total: 3, unread: 3 });
    expect(first.items.map((n) => n.instanceId)).toEqual([...instances].reverse());
    expect(first.items[0]).toMatchObject({
      source: 'workflow',
      kind: 'cc',
      message: 'FYI',
      readAt: null,
    });
    // Someone else's: the same 404 as an id that does not exist, and nothing changes.
    const oldest = first.items[2]?.id ?? '';
    const foreign = await markRead(yan, oldest);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('JNY_NOTIFICATION_NOT_FOUND');
    expect(await list(yan)).toEqual({ items: [], total: 0, unread: 0 });
    // Reading the newest moves it behind the unread ones.
    const newest = first.items[0]?.id ?? '';
    expect((await markRead(xia, newest)).statusCode).toBe(204);
    const after = await list(xia);
    expect(after.unread).toBe(2);
    expect(after.items.map((n) => n.id)).toEqual([first.items[1]?.id, oldest, newest]);
    const page = await list(xia, '?limit=1&offset=2');
    expect(page.items.map((n) => n.id)).toEqual([newest]);
    expect((await list(xia, '?unread=true')).items.map((n) => n.id)).not.toContain(newest);
    const all = await k.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: xia.headers,
    });
    expect(all.json()).toEqual({ marked: 2 });
    expect((await list(xia)).unread).toBe(0);
    const bad = await markRead(xia, 'not-a-number');
    expect(bad.statusCode).toBe(400);
  });

  it('lists automation tasks (with their due time) among workflow ones, and marks both', async () => {
    const started = await k.start(sam, APP, 'loan', await k.record(APP, 'loan', { amount: '4' }));
    const dueAt = '2026-12-01T02:00:00.000Z';
    const [task] = await automationDb(k.db)
      .insertInto('joinery.notifications')
      .values({
        user_id: yan.id,
        kind: 'task',
        title: 'Call back',
        due_at: new Date(dueAt),
        created_at: '2000-01-01T00:00:00Z',
      })
      .returning('id')
      .execute();
    const workflowNote = await k.db
      .insertInto('joinery.workflow_notifications')
      .values({
        user_id: yan.id,
        instance_id: started.instanceId,
        kind: 'remind',
        created_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const both = await list(yan);
    expect(both).toMatchObject({ total: 2, unread: 2 });
    expect(both.items.map((n) => [n.source, n.kind])).toEqual([
      ['workflow', 'remind'],
      ['automation', 'task'],
    ]);
    expect(both.items[1]).toMatchObject({ title: 'Call back', dueAt, instanceId: null });
    expect((await list(yan, '?source=automation')).items.map((n) => n.id)).toEqual([task?.id]);
    expect((await list(yan, '?kind=task')).total).toBe(1);
    // Someone else's automation task: 404, unchanged.
    expect((await markRead(xia, task?.id ?? '')).statusCode).toBe(404);
    expect((await markRead(yan, task?.id ?? '')).statusCode).toBe(204);
    const after = await list(yan);
    expect(after.unread).toBe(1);
    expect(after.items.map((n) => n.id)).toEqual([String(workflowNote.id), task?.id]);
    const all = await k.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: yan.headers,
    });
    expect(all.json()).toEqual({ marked: 1 });
    expect(await list(yan, '?unread=true')).toEqual({ items: [], total: 0, unread: 0 });
  });
});
