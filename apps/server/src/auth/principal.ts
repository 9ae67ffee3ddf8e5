import type { ViewerContext } from '../access/viewer-context.ts';

/** Who is making a request, once authenticated. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly locale: string;
  readonly isAdmin: boolean;
  /** The password was generated or reset by an administrator: only changing it is allowed. */
  readonly mustChangePassword: boolean;
  /** `session`: a browser with the session cookie (CSRF-checked); `token`: an API token. */
  readonly via: 'session' | 'token';
  /** For cookie sessions: the session id (a hash) and its CSRF token. */
  readonly sessionId?: string;
  readonly csrfToken?: string;
  /** Roles and department context (cached per `orgVersion`, see `viewerContexts`). */
  readonly viewerContext?: ViewerContext;
  /** The `joinery.org_version` authentication read with the principal. */
  readonly orgVersion?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook; undefined on public routes without credentials. */
    principal: Principal | undefined;
  }
}
