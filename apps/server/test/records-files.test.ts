import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, everyTypeForm, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';

let t: TestApp;
let admin: SignedIn;
let call: ReturnType<typeof caller>;
let dataDir: string;
const base = '/api/apps/docs/forms/sample';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(100, 7),
]);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'joinery-files-'));
  t = await createTestApp({ JOINERY_DATA_DIR: dataDir });
  admin = await t.login('admin', t.adminPassword);
  call = caller(t, admin);
  await call('POST', '/api/apps', { key: 'docs', label: label('文档', 'Docs') });
  await publish(call, 'docs', everyTypeForm);
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

function multipart(field: string, name: string, type: string, content: Buffer) {
  const boundary = '----joinery-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(
  fieldKey: string,
  name: string,
  type: string,
  content: Buffer,
  part = 'file',
) {
  const body = multipart(part, name, type, content);
  return t.app.inject({
    method: 'POST',
    url: `${base}/files?field=${fieldKey}`,
    headers: { ...admin.headers, ...body.headers, 'accept-language': 'en' },
    payload: body.payload,
  });
}

async function storedFiles(): Promise<string[]> {
  const root = join(dataDir, 'files');
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else found.push(join(dir, entry.name));
    }
  };
  await walk(root);
  return found;
}

describe('files', () => {
  it('uploads, attaches to a record and downloads with a safe disposition', async () => {
    const uploaded = await upload(
      'docs',
      '../../报告\u0007 final.txt',
      'text/plain',
      Buffer.from('hello'),
    );
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const file = uploaded.json();
    expect(file.name).toBe('报告 final.txt');
    expect(file.size).toBe(5);
    expect(file.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    const stored = await storedFiles();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/files\/\d{4}\/\d{2}\/[0-9a-f-]{36}$/);

    const created = await call('POST', `${base}/records`, {
      values: {
        title: 'with file',
        docs: [{ id: file.id, name: 'lie.exe', size: 1, mime: 'text/plain' }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().values.docs).toEqual([
      { id: file.id, name: '报告 final.txt', size: 5, mime: 'text/plain' },
    ]);

    const download = await t.app.inject({
      method: 'GET',
      url: `/api/files/${file.id}`,
      headers: admin.headers,
    });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('hello');
    expect(download.headers['content-type']).toBe('text/plain');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="__ final.txt"; filename*=UTF-8''${encodeURIComponent('报告 final.txt')}`,
    );
  });

  it('refuses too large, wrong type, fake images, unknown files and missing parts', async () => {
    const before = (await storedFiles()).length;
    const large = await upload(
      'docs',
      'big.bin',
      'application/octet-stream',
      Buffer.alloc(5000, 1),
    );
    expect(large.statusCode).toBe(413);
    expect(large.json().error.code).toBe('JNY_FILE_TOO_LARGE');
    const type = await upload('photo', 'x.svg', 'image/svg+xml', Buffer.from('<svg/>'));
    expect(type.statusCode).toBe(415);
    const fake = await upload('photo', 'x.png', 'image/png', Buffer.from('not really a png'));
    expect(fake.statusCode).toBe(415);
    const image = await upload('photo', 'x.png', 'image/png', PNG);
    expect(image.statusCode, image.body).toBe(201);
    const wrongField = await upload('title', 'x.txt', 'text/plain', Buffer.from('x'));
    expect(wrongField.statusCode).toBe(400);
    const wrongPart = await upload('docs', 'x.txt', 'text/plain', Buffer.from('x'), 'other');
    expect(wrongPart.statusCode).toBe(400);
    expect((await storedFiles()).length).toBe(before + 1);

    const ghost = await call('POST', `${base}/records`, {
      values: {
        title: 'ghost',
        docs: [
          { id: '00000000-0000-4000-8000-000000000000', name: 'x', size: 1, mime: 'text/plain' },
        ],
      },
    });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().error.code).toBe('JNY_FILE_REFERENCE_REFUSED');
    const otherField = await call('POST', `${base}/records`, {
      values: { title: 'swap', docs: [{ ...image.json(), sha256: undefined }] },
    });
    expect(otherField.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/files/00000000-0000-4000-8000-000000000000',
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
    const traversal = await t.app.inject({
      method: 'GET',
      url: '/api/files/..%2F..%2Fetc%2Fpasswd',
      headers: admin.headers,
    });
    expect(traversal.statusCode).toBe(400);
  });
});
