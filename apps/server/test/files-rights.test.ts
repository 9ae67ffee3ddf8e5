import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, label, publish } from './records-fixture.ts';
import { createTestApp, type SignedIn, type TestApp } from './test-app.ts';
import { node, step } from './workflow-kit.ts';

// Who may upload, download and attach a file: an upload needs the right to write the field (or
// a task on a record of the form); a file goes to the readers of a record (and field) holding
// it, or to its uploader while nothing holds it; a write may attach only files its writer
// uploaded or the record already holds.
const dossierForm = {
  key: 'dossier',
  label: label('案件', 'Case'),
  fields: [
    { id: 'c1', key: 'title', type: 'text', label: label('标题', 'Title') },
    { id: 'c2', key: 'docs', type: 'attachment', label: label('材料', 'Docs') },
    { id: 'c3', key: 'secret', type: 'attachment', label: label('密件', 'Secret') },
    {
      id: 'c4',
      key: 'scans',
      type: 'subform',
      label: label('扫描件', 'Scans'),
      fields: [
        { id: 'c5', key: 'page', type: 'number', label: label('页', 'Page') },
        { id: 'c6', key: 'scan', type: 'attachment', label: label('扫描', 'Scan') },
      ],
    },
  ],
};
const base = '/api/apps/vault/forms/dossier';

let t: TestApp;
let admin: SignedIn;
const who: Record<string, SignedIn> = {};
const userIds: Record<string, string> = {};
let record: { id: string; version: number };
const file: Record<string, string> = {};

function as(username: string) {
  const signedIn = username === 'admin' ? admin : who[username];
  if (!signedIn) throw new Error(`no user ${username}`);
  return caller(t, signedIn);
}

async function upload(username: string, field: string, content = 'bytes'): Promise<string> {
  const response = await send(username, `field=${field}`, content);
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id;
}

/** Posts one small text file to the upload route with `query`. */
function send(username: string, query: string, content = 'bytes') {
  const boundary = '----joinery-files-rights';
  const field = new URLSearchParams(query).get('field');
  return t.app.inject({
    method: 'POST',
    url: `${base}/files?${query}`,
    headers: {
      ...(username === 'admin' ? admin : who[username])?.headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${field}.txt"\r\n` +
        `Content-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`,
    ),
  });
}

const download = async (username: string, id: string | undefined) =>
  (await as(username)('GET', `/api/files/${id}`)).statusCode;

const ref = (id: string | undefined) => [{ id, name: 'x.txt', size: 1, mime: 'text/plain' }];

async function addUser(username: string, roleId: string | null) {
  const call = caller(t, admin);
  const password = `${username}-Password-1`;
  const created = await call('POST', '/api/users', { username, displayName: username, password });
  userIds[username] = created.json().id;
  if (roleId) await call('PUT', `/api/users/${created.json().id}/roles`, { roleIds: [roleId] });
  who[username] = await t.login(username, password);
}

async function addRole(key: string, permission: unknown): Promise<string> {
  const response = await caller(t, admin)('POST', '/api/roles', {
    key,
    name: label(key),
    permissions: { apps: { vault: { forms: { dossier: permission } } } },
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json().id;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin', t.adminPassword);
  await caller(t, admin)('POST', '/api/apps', { key: 'vault', label: label('保险库', 'Vault') });
  await publish(caller(t, admin), 'vault', dossierForm);
  const clerk = await addRole('clerk', { actions: ['view', 'create', 'edit'], rows: 'own' });
  const intern = await addRole('intern', {
    actions: ['view', 'create'],
    rows: 'own',
    fields: { secret: { write: false } },
  });
  const auditor = await addRole('auditor', {
    actions: ['view'],
    rows: 'all',
    fields: { secret: { read: false }, scans: { read: false } },
  });
  await addUser('clerk1', clerk);
  await addUser('clerk2', clerk);
  await addUser('auditor1', auditor);
  await addUser('intern1', intern);
  await addUser('outsider1', null);
});
afterAll(() => t.close());

describe('file uploads', () => {
  it('need the create or edit right on the form and the write right on the field', async () => {
    const before = await stored();
    const refused: [string, string, number][] = [
      ['auditor1', 'field=docs', 403], // may only view the form
      ['auditor1', 'field=scans.scan', 403],
      ['outsider1', 'field=docs', 403], // no right on the form
      ['intern1', 'field=secret', 403], // may create, but not write that field
    ];
    for (const [username, query, status] of refused) {
      const response = await send(username, query);
      expect(response.statusCode, `${username} ${query}: ${response.body}`).toBe(status);
      expect(response.json().error.code).toBe('JNY_AUTH_FORBIDDEN');
    }
    const named = await send('intern1', 'field=secret');
    expect(named.json().error.fields[0].field).toBe('/querystring/field');
    expect(await stored()).toBe(before); // nothing of a refused upload is kept
    expect((await send('intern1', 'field=docs')).statusCode).toBe(201);
    expect((await send('intern1', 'field=scans.scan')).statusCode).toBe(201);
  });
});

describe('file downloads', () => {
  it('give a file nothing holds yet to its uploader only', async () => {
    file.loose = await upload('clerk1', 'docs');
    expect(await download('clerk1', file.loose)).toBe(200);
    for (const other of ['clerk2', 'auditor1', 'outsider1', 'admin']) {
      expect(await download(other, file.loose), other).toBe(404);
    }
  });

  it('give a held file to whoever may read the record and the field holding it', async () => {
    file.docs = await upload('clerk1', 'docs', 'docs');
    file.secret = await upload('clerk1', 'secret', 'secret');
    file.scan = await upload('clerk1', 'scans.scan', 'scan');
    const created = await as('clerk1')('POST', `${base}/records`, {
      values: {
        title: 'first',
        docs: ref(file.docs),
        secret: ref(file.secret),
        scans: [{ page: 1, scan: ref(file.scan) }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    record = created.json();
    const expected: [string, string, number][] = [
      ['docs', 'clerk1', 200],
      ['docs', 'auditor1', 200],
      ['docs', 'admin', 200],
      ['docs', 'clerk2', 404], // the record is outside their rows
      ['docs', 'outsider1', 404], // no right on the form
      ['secret', 'clerk1', 200],
      ['secret', 'auditor1', 404], // may not read the field
      ['scan', 'clerk1', 200],
      ['scan', 'admin', 200],
      ['scan', 'auditor1', 404], // may not read the subform
    ];
    for (const [which, username, status] of expected) {
      expect(await download(username, file[which]), `${which} as ${username}`).toBe(status);
    }
    const audited = await t.database.db
      .selectFrom('joinery.audit_log')
      .select(['actor_name', 'target', 'details'])
      .where('action', '=', 'file.download')
      .where('actor_name', '=', 'auditor1')
      .execute();
    expect(audited).toEqual([
      {
        actor_name: 'auditor1',
        target: `file:${file.docs}`,
        details: { name: 'docs.txt', form: 'vault.dossier', record: record.id },
      },
    ]);
  });

  it('keeps a file from its uploader once a record they cannot read holds it', async () => {
    const handed = await upload('clerk2', 'docs');
    const created = await as('clerk1')('POST', `${base}/records`, {
      values: { title: 'not yours', docs: ref(handed) },
    });
    expect(created.statusCode).toBe(400); // clerk1 did not upload it …
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: `${base}/records`,
      headers: admin.headers,
      payload: { values: { title: 'taken over', docs: ref(await upload('admin', 'docs')) } },
    });
    expect(byAdmin.statusCode).toBe(201);
    expect(await download('clerk2', handed)).toBe(200); // … so it is still loose and theirs
  });
});

describe('file references on writes', () => {
  const rowCount = async () =>
    Number((await t.database.pool.query('select count(*) from app_vault.dossier')).rows[0].count);

  it('refuse files the writer did not upload, naming the field, and write nothing', async () => {
    const before = await rowCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ docs: ref(file.docs) }, 'docs'],
      [{ docs: ref(file.loose) }, 'docs'],
      [{ scans: [{ page: 2, scan: ref(file.scan) }] }, 'scans.scan'],
      [{ scans: [{ page: 2, scan: ref(await upload('clerk2', 'docs')) }] }, 'scans.scan'],
    ];
    for (const [values, field] of cases) {
      const response = await as('clerk2')('POST', `${base}/records`, {
        values: { title: 'theft', ...values },
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toBe('JNY_FILE_REFERENCE_REFUSED');
      expect(response.json().error.fields[0].field).toBe(field);
    }
    expect(await rowCount()).toBe(before);
  });

  it('let an update keep the files the record holds, but add only the writer’s own', async () => {
    const kept = await as('admin')('PATCH', `${base}/records/${record.id}`, {
      version: record.version,
      values: {
        title: 'renamed',
        docs: ref(file.docs),
        scans: [{ page: 1, scan: ref(file.scan) }],
      },
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().values.docs[0].name).toBe('docs.txt');
    const added = await as('admin')('PATCH', `${base}/records/${record.id}`, {
      version: kept.json().version,
      values: { docs: [...ref(file.docs), ...ref(file.loose)] },
    });
    expect(added.statusCode).toBe(400);
    expect(added.json().error.fields[0].field).toBe('docs');
    record = kept.json();
  });

  it('for a named record, need that record in the uploader’s edit rows', async () => {
    const before = await stored();
    const theirs = await send('clerk2', `field=docs&record=${record.id}`);
    expect(theirs.statusCode, theirs.body).toBe(404); // clerk1's record, outside clerk2's rows
    const noEdit = await send('intern1', `field=docs&record=${record.id}`);
    expect(noEdit.statusCode).toBe(403); // may create, not edit
    const unknown = await send('clerk1', 'field=docs&record=00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(await stored()).toBe(before);
    const mine = await send('clerk1', `field=docs&record=${record.id}`);
    expect(mine.statusCode, mine.body).toBe(201);
  });
});

const stored = async () =>
  Number((await t.database.pool.query('select count(*) from joinery.files')).rows[0].count);

describe('workflow attachments', () => {
  it('accept only files the actor uploaded or the record holds, and show them to the instance (a stand-in may attach too)', async () => {
    const flow = await as('admin')('POST', `/api/apps/vault/forms/dossier/workflows`, {
      id: 'review',
      nodes: [
        node('start', 'start', { next: 'check' }),
        step('check', [userIds.auditor1 ?? ''], 'end'),
        node('end', 'end'),
      ],
    });
    expect(flow.statusCode, flow.body).toBe(201);
    const started = await as('clerk1')('POST', '/api/workflow/instances', {
      app: 'vault',
      form: 'dossier',
      recordId: record.id,
    });
    expect(started.statusCode, started.body).toBe(201);
    const task = started.json().openTasks[0].id;
    const comment = (attachments: (string | undefined)[]) =>
      as('auditor1')('POST', `/api/workflow/tasks/${task}/actions`, {
        action: 'comment',
        comment: 'see attached',
        attachments,
      });
    for (const refused of [file.loose, await upload('clerk2', 'docs'), 'not-a-file-id']) {
      const response = await comment([refused]);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toBe('JNY_FILE_REFERENCE_REFUSED');
    }
    // The reviewer may only view the form: the task is what lets them attach a file to it.
    expect((await send('auditor1', 'field=docs')).statusCode).toBe(403);
    for (const [username, query] of [
      ['clerk2', `field=docs&task=${task}`], // not theirs
      ['auditor1', 'field=docs&task=00000000-0000-4000-8000-000000000000'],
      ['auditor1', `field=docs&task=${task}&record=00000000-0000-4000-8000-000000000000`],
    ] as const) {
      expect((await send(username, query)).statusCode, `${username} ${query}`).toBe(404);
    }
    const sent = await send('auditor1', `field=docs&task=${task}`, 'review note');
    expect(sent.statusCode, sent.body).toBe(201);
    const note = sent.json().id;
    expect((await comment([note, file.docs])).statusCode).toBe(200);
    expect(await download('clerk1', note)).toBe(200); // the submitter sees the timeline
    expect(await download('auditor1', note)).toBe(200);
    expect(await download('clerk2', note)).toBe(404);

    // A colleague standing in for the absent reviewer may attach to the task as well.
    const absence = await as('auditor1')('POST', '/api/workflow/delegations', {
      delegateId: userIds.clerk2,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(absence.statusCode, absence.body).toBe(201);
    const standIn = await send('clerk2', `field=docs&task=${task}`, 'stand-in note');
    expect(standIn.statusCode, standIn.body).toBe(201);
    expect((await send('intern1', `field=docs&task=${task}`)).statusCode).toBe(404);
  });
});
