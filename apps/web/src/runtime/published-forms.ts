import type { FormDefinition } from '@joinery/forms';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/api.ts';
import type { ApiError } from '../api/api-error.ts';
import { isApiError } from '../api/api-error.ts';
import { fetchPublishedForm } from '../api/records-api.ts';
import { loadBusinessDay } from './business-day.ts';

/** A form's live definition, as the server published it (frozen: engines cache by identity). */
export interface PublishedForm {
  readonly app: string;
  readonly version: number;
  readonly definition: FormDefinition;
  /** The server's business day (`loadBusinessDay`): `today` in the form's rules. */
  readonly utcOffsetMinutes: number;
}

const cache = new Map<string, Promise<PublishedForm>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The published definition of `app`/`form`, fetched once per page load and shared by the menu,
 * lists, forms and record pages. The server validated it when it was published, so it is taken
 * as the form engine's `FormDefinition`; it comes with the server's business day its rules count
 * `today` in. A failed fetch is forgotten, so the next call retries.
 */
export function loadPublishedForm(app: string, form: string): Promise<PublishedForm> {
  const key = `${app}/${form}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = Promise.all([fetchPublishedForm(api, app, form), loadBusinessDay()]).then(
      ([body, utcOffsetMinutes]) => ({
        app,
        version: body.version,
        definition: deepFreeze(body.definition as unknown as FormDefinition),
        utcOffsetMinutes,
      }),
    );
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}

/** Forgets cached definitions (after a form was published anew, say). */
export function forgetPublishedForms(): void {
  cache.clear();
}

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: ApiError }
  | { readonly status: 'ready'; readonly value: T };

/** A promise-returning loader as React state; re-runs when `deps` change (by value). */
export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const key = JSON.stringify(deps);
  const latest = useRef(load);
  latest.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the caller's inputs
  useEffect(() => {
    const load = latest.current;
    let live = true;
    setState({ status: 'loading' });
    load().then(
      (value) => live && setState({ status: 'ready', value }),
      (error: unknown) => {
        if (!live) return;
        if (isApiError(error)) setState({ status: 'failed', error });
        else throw error;
      },
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/** The published form of the route, as {@link Loaded} state. */
export function usePublishedForm(app: string, form: string): Loaded<PublishedForm> {
  return useLoaded(() => loadPublishedForm(app, form), [app, form]);
}
