import { defineNodeType } from '../node-type.ts';
import { object, string } from '../schema.ts';
import { checkStepConfig, stepShape } from '../step-config.ts';
import { openStep } from '../step-runner.ts';

/**
 * `approval` v1: a review step with tasks (see `StepConfig` for assignees, countersign,
 * four-eyes, deadlines and field permissions). Approved → `next`; rejected → the instance ends
 * rejected and the submitter is told.
 */
export const approvalNode = defineNodeType({
  type: 'approval',
  version: 1,
  description: 'A review step: tasks for assignees, countersign, deadlines, field permissions',
  params: object({ ...stepShape, next: string() }),
  check: (params) => checkStepConfig(params),
  build: (params) => ({
    role: { kind: 'step', step: params },
    successors: [{ to: params.next, path: '/next' }],
    enter: (ctx, token) => openStep(ctx, token, params),
    onStepDone: (ctx, token, outcome) => {
      if (outcome === 'approved') {
        ctx.moveOn(token, params.next);
        return;
      }
      ctx.emit({
        type: 'notify',
        kind: 'rejected',
        userIds: [ctx.state.submitter],
        nodeId: token.nodeId,
      });
      ctx.finish('rejected');
    },
  }),
});
