import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// Fifty approvers click at once on one countersign step, round after round: the step completes
// exactly once and the next step opens exactly once, every time. CI runs a few rounds; set
// WORKFLOW_CONCURRENCY_ROUNDS=100 for the full-size run.

const ROUNDS = Number(process.env.WORKFLOW_CONCURRENCY_ROUNDS ?? 10);
const APPROVERS = 50;
const APP = 'race';

let k: WorkflowKit;
let submitter: Actor;
let after: Actor;
const board: Actor[] = [];

beforeAll(async () => {
  k = await WorkflowKit.create();
  submitter = await k.user('submitter');
  after = await k.user('after');
  for (let i = 0; i < APPROVERS; i++) board.push(await k.user(`board${i}`, { roles: ['board'] }));
  await k.form(APP, 'motion', [
    { id: 'f1', key: 'title', type: 'text', label: { 'zh-CN': 'title', en: 'title' } },
  ]);
  for (const [key, countersign] of [
    ['all', { kind: 'all' }],
    ['half', { kind: 'n-of-m', n: APPROVERS / 2 }],
  ] as const) {
    await k.publish(APP, 'motion', {
      id: key,
      nodes: [
        node('start', 'start', { next: 'board' }),
        node('board', 'approval', {
          assignees: [{ kind: 'role', role: 'board' }],
          countersign,
          next: 'after',
        }),
        step('after', [after.id], 'end'),
        node('end', 'end'),
      ],
    });
  }
}, 120_000);
afterAll(() => k.close());

describe(`${APPROVERS} approvers at once on one countersign step`, () => {
  it(`completes the step once and opens the next once, ${ROUNDS} rounds in a row`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const workflow = round % 2 === 0 ? 'all' : 'half';
      const recordId = await k.record(APP, 'motion', { title: `motion ${round}` });
      const started = await k.start(submitter, APP, 'motion', recordId, { workflow });
      const id = started.instanceId;
      expect(started.openTasks).toHaveLength(APPROVERS);
      const taskOf = new Map(started.openTasks.map((t) => [t.assignees[0], t.id]));
      const responses = await Promise.all(
        board.map((who) =>
          k.actRaw(who, taskOf.get(who.id) ?? '', { action: 'approve' }, `r${round}-${who.name}`),
        ),
      );
      const codes = responses.map((r) => r.statusCode);
      const ok = codes.filter((c) => c === 200).length;
      if (workflow === 'all') expect(ok, `round ${round}`).toBe(APPROVERS);
      else {
        expect(ok, `round ${round}`).toBeGreaterThanOrEqual(APPROVERS / 2);
        for (const r of responses.filter((r) => r.statusCode !== 200)) {
          expect(r.statusCode, r.body).toBe(409);
          expect(r.json().error.code).toBe('JNY_WORKFLOW_TASK_CLOSED');
        }
      }
      const tasks = await k.db
        .selectFrom('joinery.workflow_tasks')
        .select(['node_id', 'status', 'close_reason'])
        .where('instance_id', '=', id)
        .execute();
      const boardTasks = tasks.filter((t) => t.node_id === 'board');
      expect(boardTasks).toHaveLength(APPROVERS);
      expect(boardTasks.every((t) => t.status === 'closed')).toBe(true);
      expect(boardTasks.filter((t) => t.close_reason === 'approved')).toHaveLength(ok);
      expect(
        tasks.filter((t) => t.node_id === 'after'),
        `round ${round}`,
      ).toEqual([{ node_id: 'after', status: 'open', close_reason: null }]);
      const completions = await k.db
        .selectFrom('joinery.workflow_history')
        .select('action')
        .where('instance_id', '=', id)
        .where('action', '=', 'step-approved')
        .where('node_id', '=', 'board')
        .execute();
      expect(completions, `round ${round}`).toHaveLength(1);
    }
  }, 600_000);
});
