import type { RecordBody, RecordListQuery } from '@joinery/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/api.ts';
import { type ApiError, isApiError } from '../../api/api-error.ts';
import { listRecords } from '../../api/records-api.ts';

/** How many records one request asks for; the table virtualises, so pages can be large. */
export const PAGE_SIZE = 100;

export interface RecordPages {
  readonly records: readonly RecordBody[];
  /** The number of matches (asked with the first page), undefined until it arrives. */
  readonly total: number | undefined;
  readonly loading: boolean;
  readonly error: ApiError | undefined;
  readonly hasMore: boolean;
  /** Fetches the next page (keyset cursor) unless one is on its way or there is none. */
  loadMore(): void;
  /** Starts again from the first page (after a delete or an import). */
  reload(): void;
}

/**
 * The pages of a record list as one growing array: the first page (with the count) whenever
 * the query changes, then the next one on each `loadMore` (infinite scroll). Answers to an older
 * query are dropped, so typing in the search box never shows stale rows.
 */
export function useRecordPages(
  app: string,
  form: string,
  query: Omit<RecordListQuery, 'cursor' | 'limit' | 'count'>,
): RecordPages {
  const key = JSON.stringify([app, form, query]);
  const [state, setState] = useState<{
    key: string;
    records: readonly RecordBody[];
    total: number | undefined;
    cursor: string | null;
    loading: boolean;
    error: ApiError | undefined;
  }>({ key: '', records: [], total: undefined, cursor: null, loading: true, error: undefined });
  const [generation, setGeneration] = useState(0);
  const current = useRef({ key, generation });
  current.current = { key, generation };
  const busy = useRef(false);

  const fetchPage = useCallback(
    (cursor: string | undefined, reset: boolean) => {
      const asked = { ...current.current };
      busy.current = true;
      setState((s) => ({ ...s, loading: true, error: undefined }));
      const params: RecordListQuery = {
        ...(JSON.parse(asked.key)[2] as RecordListQuery),
        limit: PAGE_SIZE,
        // Personal data stays masked in lists; the record page reveals it on request.
        unmask: 'none',
        ...(cursor ? { cursor } : { count: true }),
      };
      listRecords(api, app, form, params).then(
        (page) => {
          if (current.current.key !== asked.key || current.current.generation !== asked.generation)
            return;
          busy.current = false;
          setState((s) => ({
            key: asked.key,
            records: reset ? page.items : [...s.records, ...page.items],
            total: page.total ?? (reset ? undefined : s.total),
            cursor: page.nextCursor,
            loading: false,
            error: undefined,
          }));
        },
        (error: unknown) => {
          if (current.current.key !== asked.key) return;
          busy.current = false;
          if (!isApiError(error)) throw error;
          setState((s) => ({ ...s, key: asked.key, loading: false, error }));
        },
      );
    },
    [app, form],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `generation` restart it
  useEffect(() => {
    setState({ key, records: [], total: undefined, cursor: null, loading: true, error: undefined });
    fetchPage(undefined, true);
  }, [key, generation, fetchPage]);

  const loadMore = useCallback(() => {
    if (busy.current || !state.cursor || state.key !== key) return;
    fetchPage(state.cursor, false);
  }, [fetchPage, state.cursor, state.key, key]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const fresh = state.key === key;
  return {
    records: fresh ? state.records : [],
    total: fresh ? state.total : undefined,
    loading: state.loading || !fresh,
    error: fresh ? state.error : undefined,
    hasMore: fresh && state.cursor !== null,
    loadMore,
    reload,
  };
}
