import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built single-page app: its files, and `index.html` for any other GET that is not
 * an API path, so client-side routes survive a reload. Without a build, logs how to make one.
 */
export async function serveWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  if (!existsSync(join(webDir, 'index.html'))) {
    app.log.warn({ webDir }, 'no web build found; run `pnpm --filter @joinery/web build`');
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    // Files are served by the one route below, so the access policy covers them.
    serve: false,
    index: false,
    cacheControl: false,
    setHeaders: (res, path) => {
      // Vite puts a content hash in asset names, so they can be cached for ever.
      const immutable = path.includes('/assets/');
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get(
    '/*',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const file = path.slice(1);
      if (path.startsWith('/api/') || file.includes('..')) return reply.callNotFound();
      if (file && existsSync(join(webDir, file))) return reply.sendFile(file);
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    },
  );
}
