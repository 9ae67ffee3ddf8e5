import { JoineryError } from '@joinery/shared';
import { defineNodeType } from '../node-type.ts';
import { boolean, literal, number, object, optional, string } from '../schema.ts';
import { dropScope, isInScope } from '../scope.ts';

/**
 * `join` v1: synchronises the branches of the split (or inclusive branch) named by `split`.
 * `all` waits for every branch that was started; `any` continues at the first arrival; `n-of-m`
 * at the n-th. When the join continues early, the remaining branches are cancelled (their tasks
 * closed) unless `cancelRemaining` is false, in which case they run on and are absorbed here.
 */
export const joinNode = defineNodeType({
  type: 'join',
  version: 1,
  description: 'Join of parallel branches: all, any, or n of m; optionally cancelling the rest',
  params: object({
    split: string(),
    mode: optional(literal('all', 'any', 'n-of-m')),
    n: optional(number({ min: 1, integer: true })),
    cancelRemaining: optional(boolean()),
    next: string(),
  }),
  check: (params) =>
    (params.mode === 'n-of-m') !== (params.n !== undefined)
      ? [{ path: '/n', message: 'n is required with mode n-of-m, and only then' }]
      : [],
  build: (params) => {
    const mode = params.mode ?? 'all';
    const required = mode === 'all' ? 'all' : mode === 'any' ? 1 : (params.n ?? 1);
    return {
      instant: true,
      role: { kind: 'join', splitNodeId: params.split, required },
      successors: [{ to: params.next, path: '/next' }],
      enter: (ctx, token) => {
        const scope = Object.values(ctx.state.scopes).find(
          (s) => s.joinNodeId === token.nodeId && isInScope(token, s),
        );
        if (scope === undefined) {
          throw new JoineryError('JNY_WORKFLOW_STATE_MISMATCH', {
            details: `token ${token.id} reached join ${token.nodeId} outside its split`,
          });
        }
        ctx.dropToken(token.id);
        const arrived = scope.arrived + 1;
        const needed = required === 'all' ? scope.activated : Math.min(required, scope.activated);
        const updated = { ...scope, arrived };
        if (scope.fired) {
          ctx.history({ actor: null, action: 'late-arrival', nodeId: token.nodeId });
          if (arrived >= scope.activated) dropScope(ctx, scope.id);
          else ctx.patch({ scopes: { ...ctx.state.scopes, [scope.id]: updated } });
          return;
        }
        if (arrived < needed) {
          ctx.patch({ scopes: { ...ctx.state.scopes, [scope.id]: updated } });
          return;
        }
        ctx.history({
          actor: null,
          action: 'joined',
          nodeId: token.nodeId,
          details: { arrived, of: scope.activated },
        });
        if (arrived >= scope.activated || params.cancelRemaining !== false) {
          ctx.cancelTokens((t) => isInScope(t, scope), 'cancelled');
          dropScope(ctx, scope.id);
        } else {
          ctx.patch({ scopes: { ...ctx.state.scopes, [scope.id]: { ...updated, fired: true } } });
        }
        ctx.spawn(params.next, scope.lineage);
      },
    };
  },
});
