import type { WorkflowStep } from './automation-hooks.ts';

/** One workflow event of a step, with what the run log keeps about it. */
export interface WorkflowEventOccurrence {
  readonly name: 'instance.started' | 'step.decided' | 'instance.finished';
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * The events a workflow step raises for automation rules, read from the engine's effects:
 * `instance.started`; `step.decided` for each task decision (approve, reject, return… — the
 * history entries that carry the time spent on a task), with the decision, node and actor;
 * `instance.finished`, with the outcome.
 */
export function workflowEvents(step: WorkflowStep): WorkflowEventOccurrence[] {
  const events: WorkflowEventOccurrence[] = [];
  for (const effect of step.effects) {
    if (effect.type === 'append-history') {
      const entry = effect.entry;
      if (entry.action === 'started') events.push({ name: 'instance.started', details: {} });
      else if (entry.timeSpentMs !== undefined && entry.taskId !== undefined) {
        events.push({
          name: 'step.decided',
          details: { decision: entry.action, nodeId: entry.nodeId ?? null, actor: entry.actor },
        });
      }
    } else if (effect.type === 'instance-finished') {
      events.push({ name: 'instance.finished', details: { outcome: effect.outcome } });
    }
  }
  return events;
}
