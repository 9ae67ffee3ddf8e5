import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { api } from '../api/api.ts';
import { listInbox } from '../api/workflow-api.ts';

/**
 * How many tasks wait for the user, for the menu's badge: asked again on every navigation, so
 * it follows the tasks the user handles (and those that arrive while they work). Undefined until
 * known, or when the server cannot tell.
 */
export function useOpenTaskCount(): number | undefined {
  const { pathname, search } = useLocation();
  const [count, setCount] = useState<number | undefined>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a navigation is the reason to ask again
  useEffect(() => {
    const controller = new AbortController();
    listInbox(api, 'todo', { limit: 1 }, {}, { signal: controller.signal }).then(
      (page) => setCount(page.counts.todo),
      () => undefined,
    );
    return () => controller.abort();
  }, [pathname, search]);
  return count;
}
