import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
const routes: { method: string; url: string; access: string | undefined }[] = [];
beforeAll(async () => {
  t = await createTestApp();
  // Every documented route; hidden ones (the SPA fallback, the spec itself) are public by design.
  const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  for (const [url, methods] of Object.entries(spec.paths)) {
    for (const method of Object.keys(methods))
      routes.push({ method: method.toUpperCase(), url, access: undefined });
  }
});
afterAll(() => t.close());

describe('every route', () => {
  it('is in the OpenAPI document with its input schema', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'POST /api/auth/login',
      'GET /api/auth/session',
      'POST /api/auth/logout',
      'POST /api/users',
      'PATCH /api/departments/{id}',
      'DELETE /api/tokens/{id}',
      'GET /readyz',
    ]) {
      expect(urls).toContain(expected);
    }
  });

  it('that is not public refuses anonymous callers with 401 and changes nothing', async () => {
    const publicRoutes = new Set([
      'POST /api/auth/login',
      'GET /api/meta',
      'GET /healthz',
      'GET /readyz',
    ]);
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      if (publicRoutes.has(key)) continue;
      const url = route.url.replace('{id}', '00000000-0000-4000-8000-000000000000');
      const response = await t.app.inject({
        method: route.method as 'GET',
        url,
        ...(route.method !== 'GET' && route.method !== 'DELETE' && { payload: {} }),
      });
      expect(response.statusCode, key).toBe(401);
    }
  });

  it('declares an access policy, or the server refuses to start', async () => {
    const { default: Fastify } = await import('fastify');
    const { requireAccessPolicies } = await import('../src/http/access-policy.ts');
    const app = Fastify();
    requireAccessPolicies(app);
    expect(() => app.get('/api/unguarded', async () => 'x')).toThrow(/declares no access policy/);
  });
});

describe('the OpenAPI document and Swagger UI', () => {
  it('serves OpenAPI 3 at /api/openapi.json and the UI at /api/docs', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toMatch(/^3\./);
    const login = spec.json().paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual([
      'username',
      'password',
    ]);
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('answers unknown API paths with a localized 404', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/nothing',
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('JNY_REQUEST_NOT_FOUND');
  });

  it('sends security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBeDefined();
  });
});
