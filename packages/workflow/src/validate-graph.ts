import type { CompiledNode } from './compiled-workflow.ts';
import type { DefinitionProblem } from './problem.ts';

/** Nodes reachable from `from` along edges, not passing through `stop`. */
function reach(
  nodes: ReadonlyMap<string, CompiledNode>,
  from: readonly string[],
  stop?: string,
): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id) || id === stop) continue;
    seen.add(id);
    for (const s of nodes.get(id)?.behaviour.successors ?? []) queue.push(s.to);
  }
  return seen;
}

/**
 * Structural checks before a workflow may be published. Each problem names its node:
 * - exactly one start node; every edge points at an existing node;
 * - every node is reachable from the start;
 * - every node can reach an end (no path runs into a dead end or a closed loop);
 * - each split has exactly one join naming it (and vice versa); every branch of the split
 *   reaches that join without leaving the region (no end, no path around the join), and the
 *   join is entered only from inside the region; an n-of-m join needs n ≤ branches;
 * - no loop consists only of nodes that pass control straight through;
 * - steps may only exclude deciders of steps that exist and are approval steps.
 */
export function validateGraph(
  nodes: ReadonlyMap<string, CompiledNode>,
  startIds: readonly string[],
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const at = (nodeId: string, path: string, message: string): void => {
    problems.push({ nodeId, path: `/nodes/${nodeId}${path}`, message });
  };
  if (startIds.length !== 1) {
    problems.push({
      path: '/nodes',
      message: `expected exactly one start node, found ${startIds.length}`,
    });
  }
  let dangling = false;
  for (const node of nodes.values()) {
    for (const s of node.behaviour.successors) {
      if (!nodes.has(s.to)) {
        at(node.id, `/params${s.path}`, `points at unknown node ${s.to}`);
        dangling = true;
      }
      if (s.to === node.id) at(node.id, `/params${s.path}`, 'points at itself');
    }
  }
  if (dangling || startIds.length !== 1) return problems;
  const reachable = reach(nodes, startIds);
  for (const node of nodes.values()) {
    if (!reachable.has(node.id)) at(node.id, '', 'is not reachable from the start');
  }
  // Reverse reachability from the ends: which nodes can still finish.
  const predecessors = new Map<string, string[]>();
  for (const node of nodes.values()) {
    for (const s of node.behaviour.successors) {
      predecessors.set(s.to, [...(predecessors.get(s.to) ?? []), node.id]);
    }
  }
  const canFinish = new Set<string>();
  const queue = [...nodes.values()].filter((n) => n.behaviour.role.kind === 'end').map((n) => n.id);
  if (queue.length === 0)
    problems.push({ path: '/nodes', message: 'the workflow has no end node' });
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (canFinish.has(id)) continue;
    canFinish.add(id);
    queue.push(...(predecessors.get(id) ?? []));
  }
  for (const node of nodes.values()) {
    if (reachable.has(node.id) && !canFinish.has(node.id)) {
      at(node.id, '', 'no path from this node reaches an end');
    }
  }
  checkSplits(nodes, predecessors, at);
  for (const id of instantLoop(nodes)) {
    at(id, '', 'is on a loop with no step or wait, which would never stop');
  }
  for (const node of nodes.values()) {
    const role = node.behaviour.role;
    if (role.kind !== 'step') continue;
    (role.step.excludeDecidersOf ?? []).forEach((other, i) => {
      if (nodes.get(other)?.behaviour.role.kind !== 'step') {
        at(node.id, `/params/excludeDecidersOf/${i}`, `${other} is not a step of this workflow`);
      }
    });
  }
  return problems;
}

function checkSplits(
  nodes: ReadonlyMap<string, CompiledNode>,
  predecessors: ReadonlyMap<string, readonly string[]>,
  at: (nodeId: string, path: string, message: string) => void,
): void {
  const joinsBySplit = new Map<string, string[]>();
  for (const node of nodes.values()) {
    const role = node.behaviour.role;
    if (role.kind !== 'join') continue;
    joinsBySplit.set(role.splitNodeId, [...(joinsBySplit.get(role.splitNodeId) ?? []), node.id]);
    const split = nodes.get(role.splitNodeId)?.behaviour.role;
    if (split?.kind !== 'split') {
      at(node.id, '/params/split', `${role.splitNodeId} is not a split or inclusive branch`);
    } else if (split.joinNodeId !== node.id) {
      at(node.id, '/params/split', `${role.splitNodeId} names ${split.joinNodeId} as its join`);
    } else if (role.required !== 'all' && role.required > split.branches) {
      at(
        node.id,
        '/params/n',
        `needs ${role.required} arrivals but the split has ${split.branches} branches`,
      );
    }
  }
  for (const node of nodes.values()) {
    const role = node.behaviour.role;
    if (role.kind !== 'split') continue;
    const joins = joinsBySplit.get(node.id) ?? [];
    if (joins.length !== 1 || joins[0] !== role.joinNodeId) {
      at(node.id, '/params/join', `needs exactly one join ${role.joinNodeId} naming this node`);
      continue;
    }
    const region = reach(
      nodes,
      node.behaviour.successors.map((s) => s.to),
      role.joinNodeId,
    );
    for (const id of region) {
      const inner = nodes.get(id);
      if (id === node.id) at(node.id, '', 'a branch loops back to its own split');
      else if (inner?.behaviour.role.kind === 'end') {
        at(node.id, '', `branch reaches end ${id} without passing join ${role.joinNodeId}`);
      }
    }
    node.behaviour.successors.forEach((s, i) => {
      if (s.to !== role.joinNodeId && !reach(nodes, [s.to], node.id).has(role.joinNodeId)) {
        at(node.id, s.path, `branch ${i} never reaches join ${role.joinNodeId}`);
      }
    });
    for (const from of predecessors.get(role.joinNodeId) ?? []) {
      if (from !== node.id && !region.has(from)) {
        at(role.joinNodeId, '', `is entered from ${from}, outside the branches of ${node.id}`);
      }
    }
  }
}

/**
 * Nodes an administrator may move a stuck instance to: those outside every parallel region
 * (a token placed inside a region would have no split to join), and not joins.
 */
export function movableNodes(nodes: ReadonlyMap<string, CompiledNode>): ReadonlySet<string> {
  const inside = new Set<string>();
  for (const node of nodes.values()) {
    const role = node.behaviour.role;
    if (role.kind === 'join') inside.add(node.id);
    if (role.kind !== 'split') continue;
    const region = reach(
      nodes,
      node.behaviour.successors.map((s) => s.to),
      role.joinNodeId,
    );
    for (const id of region) inside.add(id);
  }
  return new Set([...nodes.keys()].filter((id) => !inside.has(id)));
}

/** Nodes on a cycle made only of instant nodes (Tarjan-free: repeated DFS on a small graph). */
function instantLoop(nodes: ReadonlyMap<string, CompiledNode>): string[] {
  const instant = [...nodes.values()].filter((n) => n.behaviour.instant === true);
  const ids = new Set(instant.map((n) => n.id));
  const onLoop: string[] = [];
  for (const node of instant) {
    const next = node.behaviour.successors.map((s) => s.to).filter((to) => ids.has(to));
    const seen = new Set<string>();
    const queue = [...next];
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      if (id === node.id) {
        onLoop.push(node.id);
        break;
      }
      if (seen.has(id)) continue;
      seen.add(id);
      for (const s of nodes.get(id)?.behaviour.successors ?? [])
        if (ids.has(s.to)) queue.push(s.to);
    }
  }
  return onLoop;
}
