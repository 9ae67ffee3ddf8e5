import type { FastifyInstance } from 'fastify';
import type { Clock } from './clock.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's one clock (and business day): what every route reads the time from. */
    readonly clock: Clock;
  }
}

/** Makes `clock` the app's `app.clock` / `request.server.clock`, before any route is registered. */
export function installClock(app: FastifyInstance, clock: Clock): void {
  app.decorate('clock', clock);
}
