import type { FieldProblem } from '@joinery/shared';

/** A form field's path, as antd's Form names it: `['items', 0, 'amount']`. */
export type FieldPath = readonly (string | number)[];

/** The server's problems with one field, ready for `form.setFields`. */
export interface FieldErrors {
  readonly name: FieldPath;
  readonly errors: readonly string[];
}

/**
 * Turns a JSON pointer from an error body (`/items/0/amount`, RFC 6901) into a form path.
 * Array indexes become numbers; `~1` and `~0` unescape to `/` and `~`. The empty pointer (the
 * whole body) has no field: `undefined`.
 */
export function pointerToPath(pointer: string): FieldPath | undefined {
  if (pointer === '' || pointer === '/') return undefined;
  const tokens = pointer.startsWith('/') ? pointer.slice(1).split('/') : pointer.split('/');
  return tokens.map((token) => {
    const unescaped = token.replaceAll('~1', '/').replaceAll('~0', '~');
    return /^(0|[1-9]\d*)$/.test(unescaped) ? Number(unescaped) : unescaped;
  });
}

/**
 * Splits the server's field problems into those a form can show on its own inputs (the first
 * path segment is one of `formFields`) and the rest, which the form shows above itself.
 * Problems of the same field are gathered into one entry.
 */
export function splitFieldProblems(
  problems: readonly FieldProblem[],
  formFields: readonly string[],
): { readonly onFields: readonly FieldErrors[]; readonly elsewhere: readonly FieldProblem[] } {
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  const elsewhere: FieldProblem[] = [];
  for (const problem of problems) {
    const path = pointerToPath(problem.field);
    const head = path?.[0];
    if (!path || typeof head !== 'string' || !formFields.includes(head)) {
      elsewhere.push(problem);
      continue;
    }
    const key = JSON.stringify(path);
    const entry = byField.get(key) ?? { name: path, errors: [] };
    entry.errors.push(problem.reason);
    byField.set(key, entry);
  }
  return { onFields: [...byField.values()], elsewhere };
}
