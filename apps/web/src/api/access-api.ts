import type { MyAccess } from '@joinery/shared';
import type { ApiClient } from './api-client.ts';

/** The signed-in user's rights on every published form (menus and controls follow them). */
export function fetchMyAccess(client: ApiClient): Promise<MyAccess> {
  return client.get<MyAccess>('/api/me/access');
}
