import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * Sends helmet's security headers (CSP, frame, sniffing, referrer, HSTS…) on every response,
 * as registering `@fastify/helmet` does — computed once. The plugin builds helmet's middleware
 * again on every request (its options merged, CSP directives parsed and checked), about 0.05 ms
 * of CPU each time: a measurable share of a list or a create. The headers are exactly those the
 * plugin itself sets for `options`, read once at start-up from a throwaway instance against a
 * bare one, and set on the raw response in `onRequest`, where the plugin sets them too.
 */
export async function installSecurityHeaders(
  app: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}

async function helmetHeaders(
  options: FastifyHelmetOptions,
): Promise<readonly [string, string | string[]][]> {
  const secured = Fastify();
  await secured.register(fastifyHelmet, options);
  const bare = Fastify();
  for (const instance of [secured, bare]) instance.get('/', async () => '');
  try {
    const [withHelmet, without] = await Promise.all([secured.inject('/'), bare.inject('/')]);
    return Object.entries(withHelmet.headers)
      .filter(([name]) => !Object.hasOwn(without.headers, name))
      .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)] as const);
  } finally {
    await Promise.all([secured.close(), bare.close()]);
  }
}
