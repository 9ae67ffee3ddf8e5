import type { JsonLogic } from '../schema/app-definition.ts';

/** The first segment of every constant `var` path, and whether any path is dynamic. */
function varRoots(logic: JsonLogic): { readonly roots: ReadonlySet<string>; dynamic: boolean } {
  const roots = new Set<string>();
  let dynamic = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [operator, args] of Object.entries(node)) {
      if (operator === 'var') {
        const path = Array.isArray(args) ? args[0] : args;
        if (typeof path === 'string' || typeof path === 'number') {
          const first = String(path).split('.')[0] ?? '';
          if (first !== '') roots.add(first);
        } else if (path !== undefined && path !== null) dynamic = true;
        if (Array.isArray(args)) walk(args.slice(1));
      } else walk(args);
    }
  };
  walk(logic);
  return { roots, dynamic };
}

/**
 * The record fields an expression reads: the first segment of every constant `var` path
 * (`{"var":"guarantors.0.amount"}` reads `guarantors`). Context roots (`$user`…) are skipped.
 * A dynamic path (`{"var":{"cat":…}}`) is reported as `*`: it may read anything.
 */
export function logicReferences(logic: JsonLogic): ReadonlySet<string> {
  const { roots, dynamic } = varRoots(logic);
  const found = new Set([...roots].filter((root) => !root.startsWith('$')));
  if (dynamic) found.add('*');
  return found;
}

/** True when an expression reads the context root `root` (`$user`, `$now`…) by a constant path. */
export function readsContext(logic: JsonLogic, root: `$${string}`): boolean {
  return varRoots(logic).roots.has(root);
}
