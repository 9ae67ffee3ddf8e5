import type { EngineContext } from './engine-context.ts';
import type { Scope, Token } from './instance-state.ts';

/**
 * Opens a scope for the branches a split (or an inclusive branch) starts: one token per target,
 * each with the lineage of the entering token plus `<scopeId>:<branchIndex>`. The paired join
 * counts arrivals against `activated`, which is how a synchronizing merge waits only for the
 * branches that were actually taken.
 */
export function openScope(
  ctx: EngineContext,
  token: Token,
  joinNodeId: string,
  targets: readonly string[],
): void {
  const scope: Scope = {
    id: ctx.nextId('s'),
    splitNodeId: token.nodeId,
    joinNodeId,
    lineage: token.lineage,
    activated: targets.length,
    arrived: 0,
    fired: false,
  };
  ctx.patch({ scopes: { ...ctx.state.scopes, [scope.id]: scope } });
  ctx.dropToken(token.id);
  targets.forEach((target, i) => {
    ctx.spawn(target, [...token.lineage, `${scope.id}:${i}`]);
  });
}

/** Whether `token` is inside a branch of `scope` (at any depth). */
export function isInScope(token: Token, scope: Scope): boolean {
  const entry = token.lineage[scope.lineage.length];
  return entry?.startsWith(`${scope.id}:`) ?? false;
}

/** Whether `lineage` starts with `prefix`. */
export function hasPrefix(lineage: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= lineage.length && prefix.every((entry, i) => lineage[i] === entry);
}

/** Removes a scope and every scope nested inside it. */
export function dropScope(ctx: EngineContext, scopeId: string): void {
  const scopes = { ...ctx.state.scopes };
  const target = scopes[scopeId];
  if (target === undefined) return;
  for (const scope of Object.values(scopes)) {
    const entry = scope.lineage[target.lineage.length];
    if (scope.id === scopeId || (entry?.startsWith(`${scopeId}:`) ?? false))
      delete scopes[scope.id];
  }
  ctx.patch({ scopes });
}

/** Removes every scope opened inside lineage `prefix` (after a return cancels that region). */
export function dropScopesUnder(ctx: EngineContext, prefix: readonly string[]): void {
  const scopes = { ...ctx.state.scopes };
  for (const scope of Object.values(scopes)) {
    if (hasPrefix(scope.lineage, prefix)) delete scopes[scope.id];
  }
  ctx.patch({ scopes });
}
