import { defineNodeType } from '../node-type.ts';
import { literal, object, optional } from '../schema.ts';

/** `end` v1: finishes the instance, approved unless the end says `rejected`. */
export const endNode = defineNodeType({
  type: 'end',
  version: 1,
  description: 'Finishes the instance with an outcome (approved by default)',
  params: object({ outcome: optional(literal('approved', 'rejected')) }),
  build: (params) => ({
    role: { kind: 'end' },
    successors: [],
    enter: (ctx, token) => {
      const outcome = params.outcome ?? 'approved';
      ctx.dropToken(token.id);
      ctx.history({ actor: null, action: 'ended', nodeId: token.nodeId, details: { outcome } });
      ctx.emit({ type: 'notify', kind: outcome, userIds: [ctx.state.submitter] });
      ctx.finish(outcome);
    },
  }),
});
