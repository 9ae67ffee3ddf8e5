import type { WorkflowDefinitionJson, WorkflowNodeJson } from '../definition.ts';

/** Shorthands for writing test workflows compactly. */
export const n = {
  start: (next: string, extra: Record<string, unknown> = {}): WorkflowNodeJson => ({
    id: 'start',
    type: 'start',
    version: 1,
    params: { next, ...extra },
  }),
  end: (id = 'end', outcome?: 'approved' | 'rejected'): WorkflowNodeJson => ({
    id,
    type: 'end',
    version: 1,
    params: outcome === undefined ? {} : { outcome },
  }),
  /** An approval step for fixed users. */
  step: (
    id: string,
    users: string[],
    next: string,
    extra: Record<string, unknown> = {},
  ): WorkflowNodeJson => ({
    id,
    type: 'approval',
    version: 1,
    params: { assignees: [{ kind: 'users', userIds: users }], next, ...extra },
  }),
  node: (id: string, type: string, params: Record<string, unknown>): WorkflowNodeJson => ({
    id,
    type,
    version: 1,
    params,
  }),
};

/** A definition from nodes. */
export function workflowOf(...nodes: WorkflowNodeJson[]): WorkflowDefinitionJson {
  return { id: 'test', version: 1, nodes };
}
