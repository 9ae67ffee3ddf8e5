import { useEffect, useState } from 'react';
import { api } from '../api/api.ts';
import { fetchMeta, type ServerMeta } from '../api/meta-api.ts';

/**
 * `GET /api/meta`, fetched once per mount. `undefined` while loading or when it failed: the
 * login page only decorates itself with it (version, demo accounts), so a failure is silent —
 * the sign-in attempt reports an unreachable server clearly enough.
 */
export function useServerMeta(): ServerMeta | undefined {
  const [meta, setMeta] = useState<ServerMeta>();
  useEffect(() => {
    const controller = new AbortController();
    fetchMeta(api, controller.signal).then(setMeta, () => undefined);
    return () => controller.abort();
  }, []);
  return meta;
}
