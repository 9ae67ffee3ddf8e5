import { JoineryError } from '@joinery/shared';
import { pointerSegment } from '../definition/definition-problem.ts';

const CONTEXT_ROOTS = new Set(['$user', '$now', '$old', '$new']);

/** A field a JSON-logic condition reads, with the JSON pointer of its `var`. */
export interface VarUse {
  readonly path: string;
  readonly pointer: string;
}

/**
 * Every record field a condition reads through `var` (context roots such as `$user` excluded).
 * A field name computed at run time (`{"var": {"cat": …}}`) is refused: the fields a report
 * reads must be known before it runs, to check the viewer may read them.
 */
export function varUses(logic: unknown, at = ''): VarUse[] {
  const uses: VarUse[] = [];
  walk(logic, at, (path, pointer) => {
    uses.push({ path, pointer });
    return path;
  });
  return uses;
}

/**
 * A copy of the condition with every record field path passed through `rename` (context paths
 * untouched). Used to bind a dashboard's global filter to each source's own fields.
 */
export function renameVars(
  logic: unknown,
  rename: (path: string, pointer: string) => string,
  at = '',
): unknown {
  return walk(logic, at, rename);
}

function walk(
  node: unknown,
  at: string,
  visit: (path: string, pointer: string) => string,
): unknown {
  if (Array.isArray(node)) return node.map((item, index) => walk(item, `${at}/${index}`, visit));
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node);
  const [entry] = entries;
  if (entries.length !== 1 || !entry) return node;
  const [operator, argument] = entry;
  const inner = `${at}/${pointerSegment(operator)}`;
  if (operator !== 'var') return { [operator]: walk(argument, inner, visit) };
  const [pathNode, ...rest] = Array.isArray(argument) ? argument : [argument];
  const pathAt = Array.isArray(argument) ? `${inner}/0` : inner;
  if (typeof pathNode === 'object' && pathNode !== null) {
    throw new JoineryError('JNY_REPORT_FILTER_INVALID', {
      path: pathAt,
      reason: 'a field name must be written out, not computed',
    });
  }
  const path = pathNode === null || pathNode === undefined ? '' : String(pathNode);
  if (path === '' || CONTEXT_ROOTS.has(path.split('.')[0] ?? '')) {
    return { var: walk(argument, inner, visit) };
  }
  const renamed = visit(path, pathAt);
  const defaults = rest.map((item, index) => walk(item, `${inner}/${index + 1}`, visit));
  return { var: Array.isArray(argument) ? [renamed, ...defaults] : renamed };
}
