import type { LocalizedText } from '@joinery/shared';
import type { ApiClient } from './api-client.ts';

/** A ready-made account of the demo mode, shown on the login page to fill the form. */
export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly role: LocalizedText;
}

/** What `GET /api/meta` says about this server, before anyone signs in. */
export interface ServerMeta {
  readonly name: string;
  readonly version: string;
  readonly demo: boolean;
  /** Minutes east of UTC of the server's business day: what `today` means in rules. */
  readonly utcOffsetMinutes: number;
  /** Empty unless the server runs in demo mode. */
  readonly demoAccounts: readonly DemoAccount[];
}

export function fetchMeta(client: ApiClient, signal?: AbortSignal): Promise<ServerMeta> {
  return client.get<ServerMeta>('/api/meta', signal ? { signal } : {});
}
