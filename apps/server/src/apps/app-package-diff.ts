import type { AppPackage, ItemKind } from './app-package.ts';
import { sortedKeys } from './app-package.ts';

/** What importing a package does to one item. */
export type ItemChange = 'added' | 'changed' | 'removed';

/** One line of the difference between a package and what is installed. */
export interface PackageDifference {
  readonly kind: ItemKind;
  readonly key: string;
  readonly change: ItemChange;
  /** A readable name where the key is not one (automation rules are keyed by UUID). */
  readonly name?: string;
}

/**
 * The items of `next` that are new, different or gone compared with `installed` (null: the
 * app is not installed). Versions are not content: a form or workflow whose definition only
 * differs by its version number is unchanged, so re-importing an export changes nothing.
 */
export function diffAppPackage(
  installed: AppPackage | null,
  next: AppPackage,
): PackageDifference[] {
  const differences: PackageDifference[] = [];
  const compare = <T>(
    kind: ItemKind,
    before: readonly T[],
    after: readonly T[],
    key: (item: T) => string,
    content: (item: T) => unknown,
  ) => {
    const old = new Map(before.map((item) => [key(item), item]));
    for (const item of after) {
      const previous = old.get(key(item));
      if (previous === undefined) differences.push({ kind, key: key(item), change: 'added' });
      else if (same(content(previous), content(item)) === false) {
        differences.push({ kind, key: key(item), change: 'changed' });
      }
      old.delete(key(item));
    }
    for (const gone of old.keys()) differences.push({ kind, key: gone, change: 'removed' });
  };
  const manifest = (pkg: AppPackage) => ({
    label: pkg.manifest.label,
    description: pkg.manifest.description,
  });
  compare('app', installed ? [installed] : [], [next], (p) => p.manifest.key, manifest);
  compare(
    'form',
    installed?.forms ?? [],
    next.forms,
    (f) => f.key,
    (f) => ({ ...f, version: 0 }),
  );
  compare(
    'workflow',
    installed?.workflows ?? [],
    next.workflows,
    (w) => w.id,
    (w) => ({ ...w, version: 0 }),
  );
  compare(
    'rule',
    installed?.rules ?? [],
    next.rules,
    (r) => r.id,
    (r) => r,
  );
  compare(
    'role',
    installed?.roles ?? [],
    next.roles,
    (r) => r.key,
    (r) => r,
  );
  compare(
    'report',
    installed?.reports ?? [],
    next.reports,
    (r) => r.key,
    (r) => r.definition,
  );
  compare(
    'dashboard',
    installed?.dashboards ?? [],
    next.dashboards,
    (d) => d.key,
    (d) => d.definition,
  );
  const names = new Map([...(installed?.rules ?? []), ...next.rules].map((r) => [r.id, r.name]));
  for (const [index, difference] of differences.entries()) {
    const name = difference.kind === 'rule' ? names.get(difference.key) : undefined;
    if (name !== undefined) differences[index] = { ...difference, name };
  }
  return differences;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
}
