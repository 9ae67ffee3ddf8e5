import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, node, step, WorkflowKit } from './workflow-kit.ts';

// The inbox's filters, on the server: by form and step (existing), overdue (deadline passed while
// open, by the server's clock) and a text search over the record's fields the caller reads in
// clear — never over a hidden or masked one. And reminding (催办): the submitter nudges the
// current assignee, who gets a notification; no one else may.

let k: WorkflowKit;
let s: Actor;
let a: Actor;
let narrow: Actor;
const APP = 'filters';
const label = (text: string) => ({ 'zh-CN': text, en: text });
const ids = new Map<string, string>();

beforeAll(async () => {
  k = await WorkflowKit.create({ worker: true });
  s = await k.user('sam');
  a = await k.user('ann');
  await k.form(APP, 'loan', [
    { id: 'f1', key: 'applicant', type: 'text', label: label('applicant') },
    { id: 'f2', key: 'note', type: 'text', label: label('note') },
    { id: 'f3', key: 'mobile', type: 'mobile', label: label('mobile') },
  ]);
  await k.role('narrow', APP, {
    loan: { actions: ['view'], rows: 'all', fields: { note: { read: false } } },
  });
  narrow = await k.user('nina', { roles: ['narrow'], recordsRole: false });
  await k.role('unmasker', APP, {
    loan: { actions: ['view'], rows: 'all', fields: { mobile: { unmask: true } } },
  });
  await k.addRole(a, 'unmasker');
  await k.publish(APP, 'loan', {
    id: 'review',
    nodes: [
      node('start', 'start', { next: 'first' }),
      step('first', [a.id, narrow.id], 'second', { deadline: { after: 'PT1H' } }),
      step('second', [a.id], 'end'),
      node('end', 'end'),
    ],
  });
  for (const [applicant, note, mobile] of [
    ['张三', '加急', '13812341234'],
    ['李四', '普通', '13900001111'],
    ['王五', '普通', null],
  ] as const) {
    const recordId = await k.record(APP, 'loan', { applicant, note, mobile });
    ids.set(applicant, (await k.start(s, APP, 'loan', recordId)).instanceId);
  }
});
afterAll(() => k.close());

const inbox = async (who: Actor, query: string) => {
  const response = await k.app.inject({
    method: 'GET',
    url: `/api/workflow/tasks?app=${APP}&${query}`,
    headers: { ...who.headers, 'accept-language': 'en' },
  });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as {
    items: { instanceId: string; nodeId: string | null; overdue: boolean }[];
    counts: Record<string, number>;
  };
  const names = new Map([...ids].map(([name, id]) => [id, name]));
  return {
    names: body.items.map((item) => names.get(item.instanceId)).sort(),
    /** The lines the server flags overdue (by its clock, as the filter means it). */
    flagged: body.items
      .filter((item) => item.overdue)
      .map((item) => names.get(item.instanceId))
      .sort(),
    counts: body.counts,
  };
};

describe('inbox filters', () => {
  it('finds by text in the fields the caller reads, counting every list under the filter', async () => {
    expect((await inbox(a, 'box=todo&q=张')).names).toEqual(['张三']);
    expect((await inbox(a, 'box=todo&q=普通')).names).toEqual(['李四', '王五']);
    const started = await inbox(s, 'box=started&q=李');
    expect(started.names).toEqual(['李四']);
    expect(started.counts).toMatchObject({ started: 1, todo: 0 });
    // `%` and `_` are plain characters, not patterns.
    expect((await inbox(a, 'box=todo&q=%25')).names).toEqual([]);
  });

  it('never searches a field the caller may not read, or reads masked', async () => {
    // The note is hidden from nina: searching it finds nothing for her, all for ann.
    expect((await inbox(narrow, 'box=todo&q=加急')).names).toEqual([]);
    expect((await inbox(narrow, 'box=todo&q=张')).names).toEqual(['张三']);
    // nina sees mobiles masked: a guess at the hidden digits must not single a record out.
    expect((await inbox(narrow, 'box=todo&q=13812341234')).names).toEqual([]);
    // …while ann, whose role may unmask it, reads it in clear and finds it.
    expect((await inbox(a, 'box=todo&q=13812341234')).names).toEqual(['张三']);
  });

  it('lists overdue work by the server clock: tasks past their deadline, instances with one', async () => {
    expect((await inbox(a, 'box=todo&overdue=true')).names).toEqual([]);
    expect((await inbox(a, 'box=todo')).flagged).toEqual([]);
    await k.advanceClock(2 * 3600);
    // Each line carries the flag, by the same definition as the filter.
    expect((await inbox(a, 'box=todo')).flagged).toEqual(['张三', '李四', '王五']);
    expect((await inbox(s, 'box=started')).flagged).toEqual(['张三', '李四', '王五']);
    const overdue = await inbox(a, 'box=todo&overdue=true');
    expect(overdue.names).toEqual(['张三', '李四', '王五']);
    expect(overdue.counts.todo).toBe(3);
    expect((await inbox(s, 'box=started&overdue=true')).names).toEqual(['张三', '李四', '王五']);

    // Approved late: the done task stays overdue; the next step has no deadline.
    const task = await k.taskOf(a, ids.get('张三') ?? '', 'first');
    await k.act(a, task.id, { action: 'approve' });
    expect((await inbox(a, 'box=done&overdue=true')).names).toEqual(['张三']);
    expect((await inbox(a, 'box=done')).flagged).toEqual(['张三']);
    expect((await inbox(a, 'box=todo&overdue=true')).names).toEqual(['李四', '王五']);
    expect((await inbox(a, 'box=todo')).flagged).toEqual(['李四', '王五']);
    expect((await inbox(s, 'box=started&overdue=true')).names).toEqual(['李四', '王五']);
    expect((await inbox(s, 'box=started')).flagged).toEqual(['李四', '王五']);
    expect((await inbox(a, 'box=todo&overdue=true&nodeId=second')).names).toEqual([]);
  });

  it('refuses malformed filters with 400 naming the parameter', async () => {
    for (const query of ['overdue=maybe', `q=${'x'.repeat(201)}`, 'q=']) {
      const response = await k.app.inject({
        method: 'GET',
        url: `/api/workflow/tasks?${query}`,
        headers: { ...a.headers, 'accept-language': 'zh-CN' },
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('JNY_REQUEST_INVALID');
      expect(JSON.stringify(response.json().error.fields)).toMatch(/overdue|\/q/);
    }
  });
});

describe('reminding the current assignee (催办)', () => {
  const notifications = async (who: Actor) => {
    const response = await k.app.inject({
      method: 'GET',
      url: '/api/notifications?kind=remind',
      headers: who.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { items: { instanceId: string | null }[] }).items;
  };

  it('notifies the assignee when the submitter reminds, and refuses anyone else', async () => {
    const instanceId = ids.get('李四') ?? '';
    const before = (await notifications(a)).length;
    await k.actOnInstance(s, instanceId, { action: 'remind' });
    const after = await notifications(a);
    expect(after.length).toBe(before + 1);
    expect(after.some((n) => n.instanceId === instanceId)).toBe(true);
    expect(await k.timeline(instanceId)).toContain('reminded');

    const refused = await k.app.inject({
      method: 'POST',
      url: `/api/workflow/instances/${instanceId}/actions`,
      headers: { ...a.headers, 'accept-language': 'en' },
      payload: { action: 'remind' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('JNY_WORKFLOW_NOT_SUBMITTER');
  });
});
