import type { WorkflowDefinitionJson } from './definition.ts';
import type { NodeBehaviour, NodeName } from './node-type.ts';

/** A node of a compiled workflow: its identity and its bound behaviour. */
export interface CompiledNode {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly name?: NodeName;
  readonly behaviour: NodeBehaviour;
}

/**
 * A validated, frozen workflow ready to run: conditions compiled, node types bound. Build it
 * once per published version (`compileWorkflow`) and cache it; `advance` takes it on each call.
 */
export interface CompiledWorkflow {
  readonly id: string;
  readonly version: number;
  readonly definition: WorkflowDefinitionJson;
  readonly startNodeId: string;
  readonly nodes: ReadonlyMap<string, CompiledNode>;
  /** Where an administrator may move a stuck instance (outside parallel regions). */
  readonly movableNodeIds: ReadonlySet<string>;
}
