import { compileWorkflow } from '../compile-workflow.ts';
import { n, workflowOf } from './node-builders.ts';
import { lendingOrg } from './org-fixture.ts';
import { WorkflowDriver } from './workflow-driver.ts';

/** A start → step `a` (with `params`) → step `b` (rev3) → end workflow. */
export function oneStep(
  params: Record<string, unknown>,
  submitter = 'sales1',
  record: Record<string, unknown> = {},
): WorkflowDriver {
  const d = new WorkflowDriver(
    compileWorkflow(
      workflowOf(
        n.start('a'),
        n.node('a', 'approval', { next: 'b', ...params }),
        n.step('b', ['rev3'], 'end'),
        n.end(),
      ),
    ),
    lendingOrg(),
  );
  return d.start(record, submitter);
}

/** The sorted assignees of the open tasks at step `a`. */
export const assigneesAt = (d: WorkflowDriver): string[] =>
  [...d.openTasks.values()]
    .filter((t) => t.nodeId === 'a')
    .flatMap((t) => t.assignees)
    .sort();
