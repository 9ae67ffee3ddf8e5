import { describe, expect, it } from 'vitest';
import { workflowEvents } from './workflow-events.ts';

const at = '2026-03-07T10:00:00.000Z';
const step = (effects: unknown[]) =>
  workflowEvents({
    instanceId: 'i',
    workflow: 'review',
    record: { app: 'crm', form: 'customer', recordId: 'r' },
    actor: null,
    effects: effects as never,
  });

describe('workflow events raised by a step', () => {
  it('reads starts, task decisions and the end from the effects, ignoring the rest', () => {
    expect(
      step([
        { type: 'append-history', entry: { at, actor: 'u', action: 'started' } },
        {
          type: 'append-history',
          entry: { at, actor: null, action: 'reminder-sent', taskId: 't' },
        },
        {
          type: 'append-history',
          entry: { at, actor: 'u', action: 'approved', taskId: 't', nodeId: 'one', timeSpentMs: 5 },
        },
        { type: 'instance-finished', outcome: 'approved', at },
      ]),
    ).toEqual([
      { name: 'instance.started', details: {} },
      { name: 'step.decided', details: { decision: 'approved', nodeId: 'one', actor: 'u' } },
      { name: 'instance.finished', details: { outcome: 'approved' } },
    ]);
    expect(step([{ type: 'open-task' }])).toEqual([]);
  });
});
