import { defineNodeType } from '../node-type.ts';
import { usersOf } from '../resolve-assignees.ts';
import { array, object, optional, string } from '../schema.ts';
import { assigneeSchema } from '../step-config.ts';

/**
 * `notify` v1: carbon copy (抄送): tells the resolved users about the instance and moves on at
 * once. CC'd users read the instance; they have no task.
 */
export const notifyNode = defineNodeType({
  type: 'notify',
  version: 1,
  description: 'Carbon copy: notify users and continue',
  params: object({ to: array(assigneeSchema, 1), message: optional(string()), next: string() }),
  build: (params) => ({
    instant: true,
    role: { kind: 'other' },
    successors: [{ to: params.next, path: '/next' }],
    enter: (ctx, token) => {
      const userIds = [...new Set(params.to.flatMap((spec) => usersOf(ctx, spec)))];
      if (userIds.length > 0) {
        ctx.emit({
          type: 'notify',
          kind: 'cc',
          userIds,
          nodeId: token.nodeId,
          ...(params.message === undefined ? {} : { message: params.message }),
        });
      }
      ctx.history({ actor: null, action: 'cc', nodeId: token.nodeId, details: { userIds } });
      ctx.moveOn(token, params.next);
    },
  }),
});
