import type { SortingState } from '@tanstack/react-table';
import type { FilterState } from './filter-logic.ts';

/** What a saved view remembers of a list: its filter, search, sort and columns. */
export interface ListView {
  readonly name: string;
  readonly filter: FilterState;
  readonly q: string;
  readonly sort: SortingState;
  /** Field keys shown, in order; undefined = the form's default columns. */
  readonly columns?: readonly string[];
}

const storageKey = (app: string, form: string) => `joinery.views.${app}.${form}`;

/**
 * The views saved for a form in this browser (`localStorage`); the server has no saved views
 * yet. Broken or foreign data reads as no views.
 */
export function readViews(app: string, form: string): ListView[] {
  try {
    const raw = window.localStorage.getItem(storageKey(app, form));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed)
      ? parsed.filter(
          (view): view is ListView =>
            typeof view === 'object' && view !== null && typeof view.name === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/** Saves (or replaces, by name) a view and returns the new list. */
export function saveView(app: string, form: string, view: ListView): ListView[] {
  const views = [...readViews(app, form).filter((v) => v.name !== view.name), view];
  writeViews(app, form, views);
  return views;
}

export function deleteView(app: string, form: string, name: string): ListView[] {
  const views = readViews(app, form).filter((v) => v.name !== name);
  writeViews(app, form, views);
  return views;
}

function writeViews(app: string, form: string, views: readonly ListView[]): void {
  try {
    window.localStorage.setItem(storageKey(app, form), JSON.stringify(views));
  } catch {
    // Without storage, views last for this page only.
  }
}
