import { NodeTypeRegistry } from './node-type-registry.ts';
import { approvalNode } from './nodes/approval-node.ts';
import { automatedNode } from './nodes/automated-node.ts';
import { branchNode } from './nodes/branch-node.ts';
import { endNode } from './nodes/end-node.ts';
import { joinNode } from './nodes/join-node.ts';
import { notifyNode } from './nodes/notify-node.ts';
import { raceNode } from './nodes/race-node.ts';
import { splitNode } from './nodes/split-node.ts';
import { startNode } from './nodes/start-node.ts';
import { waitNode } from './nodes/wait-node.ts';

/**
 * Joinery's node types. When a node type changes meaning, add a new version here next to the
 * old one — never edit a released version — so saved workflows keep running as drawn.
 */
export const builtInNodeTypes: NodeTypeRegistry = NodeTypeRegistry.of([
  startNode,
  endNode,
  approvalNode,
  branchNode,
  splitNode,
  joinNode,
  notifyNode,
  automatedNode,
  waitNode,
  raceNode,
]);
