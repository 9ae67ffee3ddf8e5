import { defineNodeType } from '../node-type.ts';
import { array, object, string } from '../schema.ts';
import { openScope } from '../scope.ts';

/** `split` v1: parallel split (AND): every branch starts at once; `join` names the paired join. */
export const splitNode = defineNodeType({
  type: 'split',
  version: 1,
  description: 'Parallel split: starts every branch at once',
  params: object({ branches: array(string(), 2), join: string() }),
  build: (params) => ({
    instant: true,
    role: { kind: 'split', joinNodeId: params.join, branches: params.branches.length },
    successors: params.branches.map((to, i) => ({ to, path: `/branches/${i}` })),
    enter: (ctx, token) => openScope(ctx, token, params.join, params.branches),
  }),
});
