import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LENDING_APP_DIR } from '@joinery/lending-crm';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeOutcome,
  exportAppToDir,
  importAppFromDir,
  loadAppPackage,
} from '../src/apps/app-package-service.ts';
import { installedApp } from '../src/apps/installed-app.ts';
import { createTestApp, type TestApp } from './test-app.ts';

describe('app packages', () => {
  let first: TestApp;
  let second: TestApp;
  let dir: string;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestApp(), createTestApp()]);
    dir = await mkdtemp(join(tmpdir(), 'joinery-app-'));
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('installs the lending template in one go, listing what it adds', async () => {
    const outcome = await importAppFromDir(first.database.db, LENDING_APP_DIR);
    expect(outcome.applied).toBe(true);
    const added = outcome.differences.filter((d) => d.change === 'added');
    expect(added).toHaveLength(outcome.differences.length);
    expect(added.filter((d) => d.kind === 'form').map((d) => d.key)).toEqual([
      'customer',
      'follow_up',
      'product',
      'loan_application',
      'contract',
      'disbursement',
      'repayment',
      'collection_case',
      'channel_spend',
    ]);
    expect(added.filter((d) => d.kind === 'role')).toHaveLength(10);
    expect(added.filter((d) => d.kind === 'report')).toHaveLength(9);
    expect(added.filter((d) => d.kind === 'dashboard').map((d) => d.key)).toEqual(['management']);
    expect(added.filter((d) => d.kind === 'workflow').map((d) => d.key)).toEqual(['loan-approval']);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'app_lending'
      order by table_name`.execute(first.database.db);
    expect(tables.rows.map((r) => r.table_name)).toContain('contract__repayment_schedule');
    expect(tables.rows.map((r) => r.table_name)).toContain('loan_application');
  });

  it('changes nothing when the same package is imported again', async () => {
    const before = await sql<{ n: number }>`
      select count(*)::int as n from joinery.form_versions`.execute(first.database.db);
    const outcome = await importAppFromDir(first.database.db, LENDING_APP_DIR);
    expect(outcome.differences).toEqual([]);
    expect(describeOutcome(outcome)).toBe('lending: no changes\n');
    const after = await sql<{ n: number }>`
      select count(*)::int as n from joinery.form_versions`.execute(first.database.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('exports stable files that reproduce the app in another database', async () => {
    const files = await exportAppToDir(first.database.db, 'lending', dir);
    expect(files).toContain('forms/loan_application.json');
    const again = join(dir, 'again');
    await exportAppToDir(first.database.db, 'lending', again);
    for (const file of files) {
      expect(await readFile(join(again, file), 'utf8'), file).toBe(
        await readFile(join(dir, file), 'utf8'),
      );
    }
    const outcome = await importAppFromDir(second.database.db, dir);
    expect(outcome.applied).toBe(true);
    const strip = (pkg: Awaited<ReturnType<typeof installedApp>>) =>
      JSON.parse(JSON.stringify(pkg));
    expect(strip(await installedApp(second.database.db, 'lending'))).toEqual(
      strip(await installedApp(first.database.db, 'lending')),
    );
    expect((await importAppFromDir(second.database.db, dir)).differences).toEqual([]);
  });

  it('shows a change item by item, applies it, and rolls everything back on a refusal', async () => {
    const path = join(dir, 'forms', 'product.json');
    const product = JSON.parse(await readFile(path, 'utf8'));
    product.fields.push({
      id: 'p99',
      key: 'note',
      type: 'text',
      label: { 'zh-CN': '备注', en: 'Note' },
    });
    await writeFile(path, JSON.stringify(product));
    const role = join(dir, 'roles', 'support.json');
    const support = JSON.parse(await readFile(role, 'utf8'));
    support.name.en = 'Support desk';
    await writeFile(role, JSON.stringify(support));
    const dry = await importAppFromDir(second.database.db, dir, { dryRun: true });
    expect(dry.applied).toBe(false);
    expect(dry.differences).toEqual([
      { kind: 'form', key: 'product', change: 'changed' },
      { kind: 'role', key: 'support', change: 'changed' },
    ]);
    // A later item the publisher refuses (a column may not become a child table):
    // the product change published before it must roll back too.
    const customer = join(dir, 'forms', 'contract.json');
    const original = await readFile(customer, 'utf8');
    const broken = JSON.parse(original);
    const status = broken.fields.find((f: { key: string }) => f.key === 'status');
    status.type = 'subform';
    status.typeVersion = 1;
    status.config = {};
    status.fields = [{ id: 'zz1', key: 'note', type: 'text', label: status.label }];
    await writeFile(customer, JSON.stringify(broken));
    await expect(importAppFromDir(second.database.db, dir)).rejects.toThrow(/status/);
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = 'app_lending' and table_name = 'product'`.execute(second.database.db);
    expect(columns.rows.map((r) => r.column_name)).not.toContain('note');
    await writeFile(customer, original);
    const applied = await importAppFromDir(second.database.db, dir);
    expect(applied.differences).toHaveLength(2);
    expect(describeOutcome(applied)).toContain('~ form product (changed)');
    const after = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = 'app_lending' and table_name = 'product'`.execute(second.database.db);
    expect(after.rows.map((r) => r.column_name)).toContain('note');
  });

  it('replaces a changed rule and deletes a removed one, then has no changes', async () => {
    const names = (await readdir(join(dir, 'rules'))).sort();
    const [changedName, removedName] = names;
    if (!changedName || !removedName) throw new Error('the template has rules');
    const path = join(dir, 'rules', changedName);
    const rule = JSON.parse(await readFile(path, 'utf8'));
    rule.enabled = false;
    await writeFile(path, JSON.stringify(rule));
    await rm(join(dir, 'rules', removedName));
    const outcome = await importAppFromDir(second.database.db, dir);
    expect(outcome.differences.map((d) => `${d.kind} ${d.change}`).sort()).toEqual([
      'rule changed',
      'rule removed',
    ]);
    const stored = await sql<{ enabled: boolean; revision: number }>`
      select enabled, revision from joinery.automation_rules where id = ${rule.id}::uuid`.execute(
      second.database.db,
    );
    expect(stored.rows).toEqual([{ enabled: false, revision: 2 }]);
    expect((await importAppFromDir(second.database.db, dir)).differences).toEqual([]);
  });

  it('refuses an invalid package with every problem named by file, changing nothing', async () => {
    const bad = join(dir, 'bad');
    await exportAppToDir(first.database.db, 'lending', bad);
    await writeFile(
      join(bad, 'roles', 'sales.json'),
      JSON.stringify({
        key: 'sales',
        name: { 'zh-CN': '销售', en: 'Sales' },
        permissions: { forms: { nope: { actions: ['fly'] } } },
      }),
    );
    await writeFile(
      join(bad, 'workflows', 'broken.json'),
      JSON.stringify({ id: 'broken', form: 'customer', nodes: [] }),
    );
    const error = await loadAppPackage(bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JNY_APPPKG_INVALID' });
    const fields = (error as { fields: { field: string }[] }).fields.map((f) => f.field);
    expect(fields.some((f) => f.startsWith('roles/sales.json'))).toBe(true);
    expect(fields.some((f) => f.startsWith('workflows/broken.json'))).toBe(true);
  });

  it('keeps widget ids through export and import, and refuses a dashboard the save route would', async () => {
    const exported = join(dir, 'dashboards');
    await exportAppToDir(second.database.db, 'lending', exported);
    const file = join(exported, 'dashboards', 'management.json');
    const management = JSON.parse(await readFile(file, 'utf8'));
    expect(management.definition.widgets.map((w: { id: string }) => w.id)).toContain(
      'conversion_funnel',
    );
    // A global field no report declares, and a widget id used twice: the checks of the
    // dashboard save route, each named by its pointer.
    management.definition.globalFields.push({ key: 'region', type: 'text' });
    management.definition.widgets[1].id = management.definition.widgets[0].id;
    await writeFile(file, JSON.stringify(management));
    const error = await loadAppPackage(exported).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JNY_APPPKG_INVALID' });
    const problems = (error as { fields: { field: string; reason: string }[] }).fields;
    expect(problems).toContainEqual({
      field: 'dashboards/management.json/definition/widgets/1/id',
      reason: 'The widget id conversion_funnel appears twice',
    });
    const undeclared = problems.filter((p) => p.reason.endsWith('global field region'));
    expect(undeclared.map((p) => p.field)).toEqual(
      management.definition.widgets.map(
        (_: unknown, i: number) => `dashboards/management.json/definition/widgets/${i}/report`,
      ),
    );
    expect(problems).toHaveLength(management.definition.widgets.length + 1);
    await expect(importAppFromDir(second.database.db, exported)).rejects.toMatchObject({
      code: 'JNY_APPPKG_INVALID',
    });
    const stored = await sql<{ n: number }>`
      select count(*)::int as n from joinery.dashboards
      where definition::text like '%region%'`.execute(second.database.db);
    expect(stored.rows[0]?.n).toBe(0);
  });
});
