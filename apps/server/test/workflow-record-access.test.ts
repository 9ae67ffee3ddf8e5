import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, node, WorkflowKit } from './workflow-kit.ts';

// Workflows read records through the records access layer: starting a workflow on a record and
// reading a task, an instance or a timeline need the right to view the record (role, row
// scope); a task shows only the fields the reader may read, personal data masked. Two roles:
// `east` (rows of region east, no `secret`, phone masked) and `head` (all rows, phone clear).

let k: WorkflowKit;
let sam: Actor;
let eve: Actor;
let hal: Actor;
const APP = 'scoped';
const label = (text: string) => ({ 'zh-CN': text, en: text });
const PHONE = '13812345678';
const CUSTOMER_MOBILE = '13900001111';
const GUARANTOR_MOBILE = '13700002222';
const CONFIG: Record<string, object> = {
  customer: { config: { form: 'customer' } },
  customer_name: { config: { relation: 'customer', field: 'name' } },
  customer_mobile: { config: { relation: 'customer', field: 'mobile' } },
};
let customerId = '';

beforeAll(async () => {
  k = await WorkflowKit.create();
  await k.form(APP, 'customer', [
    { id: 'c1', key: 'name', type: 'text', label: label('name') },
    { id: 'c2', key: 'mobile', type: 'mobile', label: label('mobile') },
  ]);
  await k.form(
    APP,
    'loan',
    [
      { id: 'f1', key: 'region', type: 'text', label: label('region') },
      { id: 'f2', key: 'secret', type: 'text', label: label('secret') },
      { id: 'f3', key: 'phone', type: 'mobile', label: label('phone') },
      { id: 'f4', key: 'customer', type: 'relation', label: label('customer') },
      { id: 'f5', key: 'customer_name', type: 'lookup', label: label('customer name') },
      { id: 'f6', key: 'customer_mobile', type: 'lookup', label: label('customer mobile') },
      {
        id: 'f7',
        key: 'guarantors',
        type: 'subform',
        label: label('guarantors'),
        fields: [{ id: 'g1', key: 'mobile', type: 'mobile', label: label('mobile') }],
      },
    ].map((field) => ({ ...field, ...CONFIG[field.key] })),
  );
  await k.role('east', APP, {
    loan: {
      actions: ['view'],
      rows: { logic: { '==': [{ var: 'region' }, 'east'] } },
      fields: { secret: { read: false } },
    },
    customer: { actions: ['view'], rows: 'all' },
  });
  await k.role('head', APP, {
    loan: {
      actions: ['view'],
      rows: 'all',
      fields: { phone: { unmask: true }, guarantors: { unmask: true } },
    },
    customer: { actions: ['view'], rows: 'all', fields: { mobile: { unmask: true } } },
  });
  customerId = await k.record(APP, 'customer', { name: 'Wang', mobile: CUSTOMER_MOBILE });
  sam = await k.user('sam');
  eve = await k.user('eve', { roles: ['east'], recordsRole: false });
  hal = await k.user('hal', { roles: ['head'], recordsRole: false });
  await k.publish(APP, 'loan', {
    id: 'review',
    nodes: [
      node('start', 'start', { next: 'review' }),
      node('review', 'approval', {
        assignees: [{ kind: 'users', userIds: [eve.id, hal.id] }],
        countersign: { kind: 'all' },
        next: 'end',
      }),
      node('end', 'end'),
    ],
  });
});
afterAll(async () => {
  await k.close();
});

const get = (as: Actor, url: string) =>
  k.app.inject({ method: 'GET', url, headers: { ...as.headers, 'accept-language': 'en' } });

async function started(region: string) {
  const recordId = await k.record(APP, 'loan', {
    region,
    secret: 's3cret',
    phone: PHONE,
    customer: customerId,
    guarantors: [{ mobile: GUARANTOR_MOBILE }],
  });
  const summary = await k.start(sam, APP, 'loan', recordId);
  const taskOf = (who: Actor) => summary.openTasks.find((t) => t.assignees.includes(who.id))?.id;
  return { recordId, instanceId: summary.instanceId, eveTask: taskOf(eve), halTask: taskOf(hal) };
}

describe('workflow reads go through the record guard', () => {
  it('a reviewer outside the row scope gets 404 for the task, the instance and the timeline', async () => {
    const west = await started('west');
    const instance = `/api/workflow/instances/${west.instanceId}`;
    for (const [url, halUrl] of [
      [`/api/workflow/tasks/${west.eveTask}`, `/api/workflow/tasks/${west.halTask}`],
      [instance, instance],
      [`${instance}/timeline`, `${instance}/timeline`],
    ] as const) {
      const refused = await get(eve, url);
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json().error.code).toMatch(/NOT_FOUND$/);
      expect((await get(hal, halUrl)).statusCode, halUrl).toBe(200);
    }
  });

  it('a task shows only readable fields, and personal data masked unless the role may unmask', async () => {
    const east = await started('east');
    const seenByEve = await get(eve, `/api/workflow/tasks/${east.eveTask}`);
    expect(seenByEve.statusCode, seenByEve.body).toBe(200);
    const eveView = seenByEve.json();
    expect(eveView.record.secret).toBeUndefined();
    expect(eveView.visibleFields).not.toContain('secret');
    expect(eveView.record.region).toBe('east');
    expect(eveView.record.phone).not.toBe(PHONE);
    expect(eveView.record.phone).toMatch(/\*/);
    const halView = (await get(hal, `/api/workflow/tasks/${east.halTask}`)).json();
    expect(halView.record).toMatchObject({ region: 'east', secret: 's3cret', phone: PHONE });
  });

  it('a task and its inbox line show lookups and subform rows under the reader’s rights', async () => {
    const east = await started('east');
    const eveView = (await get(eve, `/api/workflow/tasks/${east.eveTask}`)).json();
    expect(eveView.record).toMatchObject({
      customer_name: 'Wang',
      customer_mobile: '139****1111',
      guarantors: [{ mobile: '137****2222' }],
    });
    const halView = (await get(hal, `/api/workflow/tasks/${east.halTask}`)).json();
    expect(halView.record).toMatchObject({
      customer_name: 'Wang',
      customer_mobile: CUSTOMER_MOBILE,
      guarantors: [{ mobile: GUARANTOR_MOBILE }],
    });
    const inbox = await get(eve, '/api/workflow/tasks?box=todo&limit=200');
    expect(inbox.statusCode, inbox.body).toBe(200);
    const line = inbox.json().items.find((item: { id: string }) => item.id === east.eveTask);
    expect(line.record).toMatchObject({
      customer_name: 'Wang',
      customer_mobile: '139****1111',
      guarantors: [{ mobile: '137****2222' }],
    });
    expect(inbox.body).not.toContain(CUSTOMER_MOBILE);
    expect(inbox.body).not.toContain(GUARANTOR_MOBILE);
    const audits = await k.db
      .selectFrom('joinery.audit_log')
      .select('details')
      .where('action', '=', 'record.unmask')
      .where('actor_name', '=', 'hal')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const unmasked = (audits.details as { records: Record<string, string[]> }).records;
    expect(unmasked[east.recordId]?.sort()).toEqual([
      'customer_mobile',
      'guarantors.mobile',
      'phone',
    ]);
  });

  it('starting a workflow needs the right to view the record (404 otherwise)', async () => {
    const west = await k.record(APP, 'loan', { region: 'west' });
    const refused = await k.app.inject({
      method: 'POST',
      url: '/api/workflow/instances',
      headers: { ...eve.headers, 'accept-language': 'en' },
      payload: { app: APP, form: 'loan', recordId: west },
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('JNY_WORKFLOW_RUNTIME_RECORD_NOT_FOUND');
    const instances = await k.db
      .selectFrom('joinery.workflow_instances')
      .select('id')
      .where('record_id', '=', west)
      .execute();
    expect(instances).toEqual([]);
    const east = await k.record(APP, 'loan', { region: 'east' });
    const allowed = await k.app.inject({
      method: 'POST',
      url: '/api/workflow/instances',
      headers: hal.headers,
      payload: { app: APP, form: 'loan', recordId: east },
    });
    expect(allowed.statusCode, allowed.body).toBe(201);
  });
});
