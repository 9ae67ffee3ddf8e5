import { defineNodeType } from '../node-type.ts';
import { literal, object, optional, string } from '../schema.ts';

/**
 * `start` v1: where an instance begins. `resubmit` says where a resubmission resumes after a
 * return to the submitter: at the step that returned it (default) or from the beginning.
 */
export const startNode = defineNodeType({
  type: 'start',
  version: 1,
  description: 'Where the instance begins when a record is submitted',
  params: object({ next: string(), resubmit: optional(literal('returning-step', 'restart')) }),
  build: (params) => ({
    instant: true,
    role: { kind: 'start', resubmit: params.resubmit ?? 'returning-step' },
    successors: [{ to: params.next, path: '/next' }],
    enter: (ctx, token) => ctx.moveOn(token, params.next),
  }),
});
