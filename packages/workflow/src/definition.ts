import type { LocalizedText } from '@joinery/shared';

/**
 * One node of a workflow graph as saved by the designer. `type` and `version` pick the node type
 * from the registry (n8n style: a saved workflow keeps the type version it was drawn with, so an
 * upgrade of a node type never changes the meaning of a published workflow). `params` are checked
 * by that node type's schema; they hold the node's outgoing edges too (`next`, `branches`…),
 * because what an edge means depends on the node type.
 */
export interface WorkflowNodeJson {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly name?: string | LocalizedText;
  readonly params?: unknown;
}

/**
 * A workflow definition: the JSON document stored per published version. Running instances
 * keep `(id, version)` and are always advanced with the definition they started on.
 */
export interface WorkflowDefinitionJson {
  readonly id: string;
  readonly version: number;
  readonly name?: string | LocalizedText;
  /** The form whose records this workflow approves. */
  readonly form?: string;
  readonly nodes: readonly WorkflowNodeJson[];
}
