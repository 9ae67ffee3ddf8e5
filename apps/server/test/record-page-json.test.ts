import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { recordPageJson } from '../src/records/record-page-json.ts';
import { RecordPageSchema } from '../src/records/record-schemas.ts';
import type { RecordPage } from '../src/records/record-service.ts';
import type { RecordBody } from '../src/records/record-values.ts';

/** What fastify's serializer for the list route's response schema makes of `page`. */
async function bySchema(page: unknown): Promise<string> {
  const app = Fastify({ logger: false });
  app.get('/', { schema: { response: { 200: RecordPageSchema } } }, async () => page);
  const response = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return response.body;
}

const record = (values: Record<string, unknown>, extra: Partial<RecordBody> = {}): RecordBody => ({
  id: '8a5540cf-b887-481e-b525-cabd99ba8011',
  version: 3,
  createdAt: '2024-01-01T05:33:18.000Z',
  createdBy: null,
  updatedAt: '2024-02-29T23:59:59.999Z',
  updatedBy: '1301f5ad-8bba-40bf-9cac-216045672c0a',
  owner: null,
  deletedAt: null,
  values,
  ...extra,
});

describe('the JSON of a page of records', () => {
  const pages: [string, RecordPage][] = [
    ['an empty last page', { items: [], nextCursor: null }],
    [
      'plain values, a cursor and a total',
      {
        items: [
          record({ name: 'borrower 1', amount: '165162.00', term: 19, day: '2025-02-02' }),
          record({ name: null, tags: ['vip', 'new'], active: false }, { owner: 'u1' }),
        ],
        nextCursor: 'WyIyMDI0LTAxLTAxVDA1OjMzOjE4LjAwMFoiXQ',
        total: 1234,
      },
    ],
    [
      'text that needs escaping, in system fields, keys and values',
      {
        items: [
          record(
            {
              'k"\\\u0000': 'line\nbreak \u2028 "quoted" \ud800 雇员',
              nested: { a: [1, { b: 'c' }] },
            },
            { id: 'a"b\\c', createdBy: '\u001f', deletedAt: '2024-03-01T00:00:00.000Z' },
          ),
        ],
        nextCursor: 'x"y',
      },
    ],
    [
      'values JSON leaves out or turns into null',
      {
        items: [
          record({
            gone: undefined,
            date: new Date(0),
            nan: Number.NaN,
            infinite: Number.POSITIVE_INFINITY,
            list: [undefined, () => 1],
            own: { toJSON: () => 'as JSON' },
          }),
        ],
        nextCursor: null,
      },
    ],
    [
      'expanded relations, and a record without them',
      {
        items: [
          record(
            { customer: 'c1' },
            { expanded: { customer: record({ city: '上海' }), none: null } },
          ),
          record({ customer: null }),
        ],
        nextCursor: null,
      },
    ],
  ];

  it.each(pages)('is what the response schema makes of it: %s', async (_, page) => {
    expect(recordPageJson(page)).toBe(await bySchema(page));
  });

  it('writes only the fields the schema names, as the schema does', async () => {
    const leaky = {
      items: [{ ...record({ a: 1 }), secret: 'row data', password_hash: 'x' }],
      nextCursor: null,
      debug: { sql: 'select 1' },
    } as unknown as RecordPage;
    const json = recordPageJson(leaky);
    expect(json).toBe(await bySchema(leaky));
    expect(json).not.toContain('secret');
    expect(json).not.toContain('debug');
  });
});
