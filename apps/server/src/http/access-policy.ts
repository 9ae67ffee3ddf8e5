import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Who may call a route: `public` — anyone; `user` — any signed-in user or API token;
 * `admin` — administrators only. Finer permissions (roles, forms, rows) are checked inside the
 * handlers by the access-control layer.
 */
export type AccessPolicy = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares its access policy; the server refuses to start otherwise. */
    access?: AccessPolicy;
    /** Reachable by a user who must change a generated password first (session, logout, password). */
    beforePasswordChange?: boolean;
    /**
     * The route verifies the credential inside its own statement (`withStatementCredential`),
     * so authentication may hand it the principal last resolved from the same credential.
     */
    verifiedInStatement?: boolean;
  }
}

/** Routes registered by plugins we do not own (Swagger UI, static files) and their policy. */
const PLUGIN_ROUTE_PREFIXES: readonly string[] = ['/api/docs'];

/** Refuses, at start-up, any route that does not declare an access policy. */
export function requireAccessPolicies(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.access) return;
    if (PLUGIN_ROUTE_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    throw new Error(`Route ${String(route.method)} ${route.url} declares no access policy`);
  });
}
