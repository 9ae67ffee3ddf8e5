import type { LocalizedText } from '@joinery/shared';
import type { ComponentType } from 'react';

/**
 * One entry of the side menu. The menu is drawn only from these: today the built-in pages,
 * later (issue 9) also the menus of the apps in the metadata, per role. Labels are
 * LocalizedText, as metadata carries them, so both sources look the same to the menu.
 */
export interface NavigationItem {
  /** Unique in the whole tree; also the menu key. */
  readonly key: string;
  readonly label: LocalizedText;
  /** The route it opens; absent on a group that only holds `children`. */
  readonly path?: string;
  readonly icon?: ComponentType;
  /** A count shown beside the label (open tasks); nothing when absent or 0. */
  readonly badge?: number;
  readonly children?: readonly NavigationItem[];
}

/**
 * The key of the entry whose path best matches `pathname` (the longest matching prefix), so
 * a record page under a list keeps the list's entry selected.
 */
export function selectedNavigationKey(
  items: readonly NavigationItem[],
  pathname: string,
): string | undefined {
  let best: { key: string; length: number } | undefined;
  const visit = (list: readonly NavigationItem[]) => {
    for (const item of list) {
      if (item.path !== undefined && matchesPath(item.path, pathname)) {
        if (!best || item.path.length > best.length)
          best = { key: item.key, length: item.path.length };
      }
      if (item.children) visit(item.children);
    }
  };
  visit(items);
  return best?.key;
}

function matchesPath(path: string, pathname: string): boolean {
  if (path === '/') return pathname === '/';
  return pathname === path || pathname.startsWith(`${path}/`);
}
