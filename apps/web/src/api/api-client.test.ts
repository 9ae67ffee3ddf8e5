import type { Locale } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.ts';
import { ApiError } from './api-error.ts';

interface Sent {
  readonly url: string;
  readonly init: RequestInit;
}

/** A client whose fetch records each request and answers with `respond`. */
function clientAnswering(respond: () => Response | Promise<Response>, locale: Locale = 'zh-CN') {
  const sent: Sent[] = [];
  const client = new ApiClient({
    locale: () => locale,
    messages: { network: () => 'offline', unexpected: (status) => `unexpected ${status}` },
    fetch: async (input, init = {}) => {
      sent.push({ url: String(input), init });
      return respond();
    },
  });
  return { client, sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const headersOf = (sent: Sent | undefined) => new Headers(sent?.init.headers);

describe('ApiClient', () => {
  it('sends JSON with the UI language and the cookie session, and parses the answer', async () => {
    const { client, sent } = clientAnswering(() => json(200, { ok: true }), 'en');
    await expect(client.post('/api/things', { body: { a: 1 } })).resolves.toEqual({ ok: true });
    expect(sent[0]?.url).toBe('/api/things');
    expect(sent[0]?.init.credentials).toBe('same-origin');
    expect(sent[0]?.init.body).toBe('{"a":1}');
    const headers = headersOf(sent[0]);
    expect(headers.get('accept-language')).toBe('en');
    expect(headers.get('content-type')).toBe('application/json');
  });

  it('sends the CSRF token on state-changing requests only', async () => {
    const { client, sent } = clientAnswering(() => new Response(null, { status: 204 }));
    client.setCsrfToken('token-1');
    await client.get('/api/a');
    await client.post('/api/b');
    await client.delete('/api/c');
    expect(sent.map((s) => headersOf(s).get('x-csrf-token'))).toEqual([null, 'token-1', 'token-1']);
  });

  it('turns an error body into an ApiError with code, message and fields', async () => {
    const body = {
      error: {
        code: 'JNY_REQUEST_INVALID',
        message: '请求无效',
        fields: [{ field: '/username', reason: '必填' }],
      },
    };
    const { client } = clientAnswering(() => json(400, body));
    const error = await client.post('/api/auth/login').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'JNY_REQUEST_INVALID', message: '请求无效' });
    expect(error instanceof ApiError && error.reasonsFor('/username')).toEqual(['必填']);
  });

  it('reports an ended session to its listeners', async () => {
    const body = { error: { code: 'JNY_AUTH_REQUIRED', message: '请先登录' } };
    const { client } = clientAnswering(() => json(401, body));
    let calls = 0;
    const unsubscribe = client.onUnauthorized(() => {
      calls += 1;
    });
    await expect(client.get('/api/x')).rejects.toThrow('请先登录');
    unsubscribe();
    await expect(client.get('/api/x')).rejects.toThrow('请先登录');
    expect(calls).toBe(1);
  });

  it('explains answers that are not Joinery JSON, and no answer at all', async () => {
    const html = clientAnswering(() => new Response('<html>', { status: 500 }));
    await expect(html.client.get('/api/x')).rejects.toMatchObject({
      status: 500,
      code: 'JNY_SERVER_INTERNAL',
      message: 'unexpected 500',
    });
    const gateway = clientAnswering(() => new Response('bad gateway', { status: 502 }));
    await expect(gateway.client.get('/api/x')).rejects.toMatchObject({
      code: 'JNY_SERVER_UNAVAILABLE',
    });
    const offline = clientAnswering(() => Promise.reject(new TypeError('fetch failed')));
    await expect(offline.client.get('/api/x')).rejects.toMatchObject({
      status: 0,
      code: 'JNY_SERVER_UNAVAILABLE',
      message: 'offline',
    });
  });
});
