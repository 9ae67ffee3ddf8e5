import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../src/auth/principal.ts';
import type { SeenInstance } from '../src/workflow/instance-head.ts';
import { actionableTask } from '../src/workflow/workflow-access.ts';
import { type Actor, type ApiSummary, node, step, WorkflowKit } from './workflow-kit.ts';

// An approval through the API reads its task with the instance (and the record, when this
// process knows the task's form; else the record next), then writes the whole step in ONE
// statement that writes only while the instance is still at the version read (no BEGIN, no
// lock). These tests take the read and the write apart, with another step or another request
// in between, and check that the step still happens once or not at all: the locking path takes
// over and decides.

const APP = 'once';
let k: WorkflowKit;
let sub: Actor;
let ann: Actor;
let bob: Actor;
let cat: Actor;

beforeAll(async () => {
  k = await WorkflowKit.create();
  sub = await k.user('sub');
  ann = await k.user('ann');
  bob = await k.user('bob');
  cat = await k.user('cat');
  for (const form of ['memo', 'other']) {
    await k.form(APP, form, [
      { id: 'f1', key: 'title', type: 'text', label: { 'zh-CN': 'title', en: 'title' } },
    ]);
  }
  for (const [id, countersign] of [
    ['all', { kind: 'all' }],
    ['first', { kind: 'n-of-m', n: 1 }],
  ] as const) {
    await k.publish(APP, 'memo', {
      id,
      nodes: [
        node('start', 'start', { next: 'pair' }),
        node('pair', 'approval', {
          assignees: [{ kind: 'users', userIds: [ann.id, bob.id] }],
          countersign,
          next: 'last',
        }),
        step('last', [cat.id], 'end'),
        node('end', 'end'),
      ],
    });
  }
}, 120_000);
afterAll(() => k.close());

/** Starts `workflow` on a new record; the task ids of ann and bob. */
async function started(workflow: string) {
  const recordId = await k.record(APP, 'memo', { title: workflow });
  const summary = await k.start(sub, APP, 'memo', recordId, { workflow });
  const taskOf = (who: Actor) => summary.openTasks.find((t) => t.assignees[0] === who.id);
  return { summary, recordId, ann: taskOf(ann), bob: taskOf(bob) };
}

/** What the action route reads before acting, for `actor` on `taskId`: the instance and record. */
async function seenBy(actor: Actor, taskId: string, key: string) {
  const principal = { userId: actor.id, isAdmin: false } as Principal;
  const task = await actionableTask(k.db, principal, taskId, [], key);
  const record = await k.db
    .transaction()
    .execute((trx) => k.services.records.load(trx, task.record));
  const seen: SeenInstance = { instance: task.instance, keyUsed: task.keyUsed, record };
  return { task, seen };
}

async function rows(instanceId: string) {
  const tasks = await k.db
    .selectFrom('joinery.workflow_tasks')
    .select(['node_id', 'status', 'close_reason'])
    .where('instance_id', '=', instanceId)
    .orderBy('node_id')
    .orderBy('opened_at')
    .execute();
  const completions = await k.db
    .selectFrom('joinery.workflow_history')
    .select('id')
    .where('instance_id', '=', instanceId)
    .where('action', '=', 'step-approved')
    .where('node_id', '=', 'pair')
    .execute();
  const instance = await k.db
    .selectFrom('joinery.workflow_instances')
    .select('version')
    .where('id', '=', instanceId)
    .executeTakeFirstOrThrow();
  return { tasks, completions: completions.length, version: instance.version };
}

describe('an approval written as one statement', () => {
  it('costs three statements through the API, two once this process answered the task', async () => {
    // Everyone's token was used and their roles read already (both are written or read once a
    // while, not per request): the token is verified inside the task's read.
    for (const who of [ann, bob, cat]) {
      const inbox = await k.app.inject({
        method: 'GET',
        url: '/api/workflow/tasks',
        headers: who.headers,
      });
      expect(inbox.statusCode).toBe(200);
    }
    const statementsOf = async (act: () => Promise<ApiSummary>) => {
      const spy = vi.spyOn(pg.Client.prototype, 'query');
      try {
        const summary = await act();
        const texts = spy.mock.calls.map(([query]) =>
          String(typeof query === 'string' ? query : (query as { text: string }).text).trim(),
        );
        expect(texts.filter((text) => /^(begin|commit)/i.test(text))).toEqual([]);
        // No authentication query of its own: the task's read verifies the token it recalled.
        expect(texts.filter((text) => /token_id/.test(text))).toEqual([]);
        expect(
          texts.filter(
            (text) => /workflow_tasks/.test(text) && /joinery\.token_holds\(/.test(text),
          ),
        ).toHaveLength(1);
        return { summary, count: texts.length };
      } finally {
        spy.mockRestore();
      }
    };
    const taskOf = (summary: { openTasks: ApiSummary['openTasks'] }, who: Actor) =>
      summary.openTasks.find((t) => t.assignees[0] === who.id)?.id ?? '';
    // Started by the runtime itself, not through the API: this process never answered the
    // task. The task with its instance (and the token), the record, the step (a published form
    // may be re-checked, one query, on the way).
    const recordId = await k.record(APP, 'memo', { title: 'unseen' });
    const direct = await k.services.runtime.start({
      record: { app: APP, form: 'memo', recordId },
      workflow: 'all',
      submitter: sub.id,
      idempotency: undefined,
    });
    const unseen = await statementsOf(() =>
      k.act(ann, taskOf(direct.body as ApiSummary, ann), { action: 'approve' }),
    );
    expect(unseen.count).toBeGreaterThanOrEqual(3);
    expect(unseen.count).toBeLessThanOrEqual(4);
    // Bob's task came in the answer to Ann's action: the record comes with the task.
    const answered = await statementsOf(() =>
      k.act(bob, taskOf(unseen.summary, bob), { action: 'approve' }),
    );
    expect(answered.count).toBeGreaterThanOrEqual(2);
    expect(answered.count).toBeLessThan(unseen.count);
    expect(answered.summary.openTasks.map((t) => t.nodeId)).toEqual(['last']);
    // So does a task of an instance started through the API.
    const viaApi = await started('all');
    const first = await statementsOf(() => k.act(ann, viaApi.ann?.id ?? '', { action: 'approve' }));
    expect(first.count).toBeLessThan(unseen.count);
  });

  it('joins the record only when the form given is the task’s own', async () => {
    const { recordId, ann: task } = await started('all');
    const principal = { userId: ann.id, isAdmin: false } as Principal;
    const read = async (form: string) =>
      actionableTask(
        k.db,
        principal,
        task?.id ?? '',
        [],
        undefined,
        await k.services.forms.get(APP, form),
      );
    expect((await read('memo')).recordRow?.id).toBe(recordId);
    expect((await read('other')).recordRow).toBeUndefined();
  });

  it('a step taken between the read and the write: the locked step decides, once', async () => {
    const { summary, ann: task } = await started('all');
    const id = summary.instanceId;
    const { task: seenTask, seen } = await seenBy(ann, task?.id ?? '', 'late-ann');
    await k.act(bob, summary.openTasks.find((t) => t.assignees[0] === bob.id)?.id ?? '', {
      action: 'approve',
    });
    const answer = await k.services.runtime.act({
      instanceId: id,
      actor: ann.id,
      action: { kind: 'approve', taskId: seenTask.key },
      idempotency: { key: 'late-ann', fingerprint: 'late-ann' },
      seen,
    });
    expect(answer.statusCode).toBe(200);
    const after = await rows(id);
    expect(after.completions).toBe(1);
    expect(after.version).toBe(summary.version + 2);
    expect(after.tasks.filter((t) => t.node_id === 'last')).toEqual([
      { node_id: 'last', status: 'open', close_reason: null },
    ]);
  });

  it('a task closed between the read and the write is refused and nothing is written', async () => {
    const { summary, ann: task, bob: bobTask } = await started('first');
    const id = summary.instanceId;
    const { task: seenTask, seen } = await seenBy(ann, task?.id ?? '', 'closed-ann');
    // Bob's approval completes the step (one of two suffices) and closes Ann's task.
    await k.act(bob, bobTask?.id ?? '', { action: 'approve' });
    const before = await rows(id);
    await expect(
      k.services.runtime.act({
        instanceId: id,
        actor: ann.id,
        action: { kind: 'approve', taskId: seenTask.key },
        idempotency: { key: 'closed-ann', fingerprint: 'closed-ann' },
        seen,
      }),
    ).rejects.toMatchObject({ code: 'JNY_WORKFLOW_TASK_CLOSED' });
    expect(await rows(id)).toEqual(before);
    expect(before.completions).toBe(1);
  });

  it('a key used between the read and the write replays its first answer, writing nothing', async () => {
    const first = await started('all');
    const second = await started('all');
    const { task, seen } = await seenBy(ann, second.ann?.id ?? '', 'shared-key');
    expect(seen.keyUsed).toBe(false);
    // The same user and key on another instance first: that answer is the key's.
    const answer = await k.services.runtime.act({
      instanceId: first.summary.instanceId,
      actor: ann.id,
      action: { kind: 'approve', taskId: first.ann?.key ?? '' },
      idempotency: { key: 'shared-key', fingerprint: 'same-request' },
    });
    const before = await rows(second.summary.instanceId);
    const replay = await k.services.runtime.act({
      instanceId: second.summary.instanceId,
      actor: ann.id,
      action: { kind: 'approve', taskId: task.key },
      idempotency: { key: 'shared-key', fingerprint: 'same-request' },
      seen,
    });
    expect(replay).toEqual(answer);
    expect(await rows(second.summary.instanceId)).toEqual(before);
    expect(before.version).toBe(second.summary.version);
  });
});
