import { type Condition, compileCondition } from '../condition.ts';
import { defineNodeType } from '../node-type.ts';
import { array, json, literal, object, optional, string } from '../schema.ts';
import { openScope } from '../scope.ts';

/**
 * `branch` v1: conditional branching on JSON-logic conditions over the record.
 * - `exclusive` (default): the first branch whose condition holds, else `default` (exclusive
 *   choice; the branches may meet again at any node — a simple merge);
 * - `inclusive`: every branch whose condition holds, else `default`, synchronised by the `join`
 *   that names this node (multi-choice + structured synchronizing merge).
 * A `default` is required, so a branch always has a way out.
 */
export const branchNode = defineNodeType({
  type: 'branch',
  version: 1,
  description: 'Conditional branch on JSON-logic conditions, with a default path',
  params: object({
    mode: optional(literal('exclusive', 'inclusive')),
    branches: array(object({ when: json(), next: string(), label: optional(string()) }), 1),
    default: string(),
    join: optional(string()),
  }),
  check: (params) =>
    params.mode === 'inclusive' && params.join === undefined
      ? [{ path: '/join', message: 'an inclusive branch needs the join that synchronises it' }]
      : [],
  build: (params, problems) => {
    const conditions: Condition[] = [];
    params.branches.forEach((branch, i) => {
      const compiled = compileCondition(branch.when);
      if (typeof compiled === 'string')
        problems.push({ path: `/branches/${i}/when`, message: compiled });
      else conditions.push(compiled);
    });
    const successors = [
      ...params.branches.map((b, i) => ({
        to: b.next,
        path: `/branches/${i}/next`,
        ...(b.label === undefined ? {} : { label: b.label }),
      })),
      { to: params.default, path: '/default', label: 'default' },
    ];
    const join = params.join;
    return {
      instant: true,
      role:
        params.mode === 'inclusive' && join !== undefined
          ? { kind: 'split', joinNodeId: join, branches: successors.length }
          : { kind: 'other' },
      successors,
      enter: (ctx, token) => {
        const record = ctx.record();
        const taken = params.branches.filter((_, i) =>
          conditions[i]?.(record, ctx.env, ctx.state.submitter),
        );
        const targets = taken.length > 0 ? taken.map((b) => b.next) : [params.default];
        ctx.history({
          actor: null,
          action: 'branched',
          nodeId: token.nodeId,
          details: { targets: params.mode === 'inclusive' ? targets : targets.slice(0, 1) },
        });
        if (params.mode === 'inclusive' && join !== undefined) openScope(ctx, token, join, targets);
        else ctx.moveOn(token, targets[0] ?? params.default);
      },
    };
  },
});
