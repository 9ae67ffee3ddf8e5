import type { FormRights, MyAccess } from '@joinery/shared';
import { fetchMyAccess } from '../api/access-api.ts';
import { api } from '../api/api.ts';

let cached: { readonly userId: string; readonly access: Promise<MyAccess> } | undefined;

/**
 * The signed-in user's rights, fetched once per user and page load (a new sign-in in the same
 * tab fetches them again). A failed fetch is forgotten, so the next call retries.
 */
export function loadMyAccess(userId: string): Promise<MyAccess> {
  if (cached?.userId !== userId) {
    const access = fetchMyAccess(api);
    access.catch(() => {
      if (cached?.access === access) cached = undefined;
    });
    cached = { userId, access };
  }
  return cached.access;
}

/** The user's rights on one form; none when the form is not listed. */
export function formRights(access: MyAccess, app: string, form: string): FormRights {
  return access.apps[app]?.[form] ?? { actions: [], unmask: [], masked: [] };
}
