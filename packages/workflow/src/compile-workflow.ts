import { JoineryError } from '@joinery/shared';
import { builtInNodeTypes } from './built-in-node-types.ts';
import type { CompiledNode, CompiledWorkflow } from './compiled-workflow.ts';
import type { WorkflowDefinitionJson } from './definition.ts';
import type { NodeTypeRegistry } from './node-type-registry.ts';
import type { DefinitionProblem } from './problem.ts';
import {
  array,
  json,
  number,
  object,
  optional,
  record,
  type SchemaProblem,
  string,
} from './schema.ts';
import { movableNodes, validateGraph } from './validate-graph.ts';

const nameSchema = json();
const definitionSchema = object({
  id: string(),
  version: number({ min: 1, integer: true }),
  name: optional(nameSchema),
  form: optional(string()),
  description: optional(string()),
  nodes: array(
    object({
      id: string(),
      type: string(),
      version: number({ min: 1, integer: true }),
      name: optional(nameSchema),
      params: optional(json()),
      position: optional(record(json())),
    }),
    1,
  ),
});

/** The outcome of `validateWorkflow`: the compiled workflow, or every problem found. */
export type ValidationResult =
  | { readonly ok: true; readonly workflow: CompiledWorkflow }
  | { readonly ok: false; readonly problems: readonly DefinitionProblem[] };

/**
 * Checks a definition completely — its JSON shape, each node's parameters against its node
 * type's schema, conditions, and the graph structure — and compiles it. Run it before publishing;
 * the designer shows the problems, each naming a node id and a JSON pointer.
 */
export function validateWorkflow(
  raw: unknown,
  registry: NodeTypeRegistry = builtInNodeTypes,
): ValidationResult {
  // Work on a frozen copy: the compiled workflow (and effects built from its params) never share
  // objects with the caller's document.
  const frozen = deepFreeze(structuredClone(raw));
  const shapeProblems: SchemaProblem[] = [];
  const definition = definitionSchema.parse(frozen, '', shapeProblems);
  if (definition === undefined) return { ok: false, problems: shapeProblems };
  const problems: DefinitionProblem[] = [];
  const nodes = new Map<string, CompiledNode>();
  const startIds: string[] = [];
  definition.nodes.forEach((node, index) => {
    const base = `/nodes/${node.id}`;
    if (nodes.has(node.id)) {
      problems.push({ nodeId: node.id, path: `/nodes/${index}/id`, message: 'duplicate node id' });
      return;
    }
    const nodeType = registry.get(node.type, node.version);
    if (nodeType === undefined) {
      problems.push({
        nodeId: node.id,
        path: `${base}/type`,
        message: `unknown node type ${node.type} v${node.version}`,
      });
      return;
    }
    const nodeProblems: SchemaProblem[] = [];
    const behaviour = nodeType.bind(node.params, `${base}/params`, nodeProblems);
    for (const p of nodeProblems) problems.push({ nodeId: node.id, ...p });
    if (behaviour === undefined) return;
    if (behaviour.role.kind === 'start') startIds.push(node.id);
    nodes.set(node.id, {
      id: node.id,
      type: node.type,
      version: node.version,
      ...(typeof node.name === 'string' ? { name: node.name } : {}),
      behaviour,
    });
  });
  if (problems.length > 0) return { ok: false, problems };
  const graphProblems = validateGraph(nodes, startIds);
  if (graphProblems.length > 0) return { ok: false, problems: graphProblems };
  // The schema above accepted the copy as a definition.
  const json = frozen as WorkflowDefinitionJson;
  return {
    ok: true,
    workflow: Object.freeze({
      id: definition.id,
      version: definition.version,
      definition: json,
      startNodeId: startIds[0] ?? '',
      nodes,
      movableNodeIds: movableNodes(nodes),
    }),
  };
}

/**
 * Validates and compiles a definition, throwing `JNY_WORKFLOW_DEFINITION_INVALID` (400) whose
 * field problems name each node (`/nodes/<id>/…`). Cache the result per published version.
 */
export function compileWorkflow(
  raw: unknown,
  registry: NodeTypeRegistry = builtInNodeTypes,
): CompiledWorkflow {
  const result = validateWorkflow(raw, registry);
  if (result.ok) return result.workflow;
  throw new JoineryError(
    'JNY_WORKFLOW_DEFINITION_INVALID',
    { details: result.problems.map((p) => `${p.path}: ${p.message}`).join('; ') },
    result.problems.map((p) => ({ field: p.path, reason: p.message })),
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
