import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JoineryError } from '@joinery/shared';
import { type AppPackage, canonicalJson } from './app-package.ts';
import type { RawAppPackage } from './validate-app-package.ts';

const FOLDERS = ['forms', 'workflows', 'rules', 'roles', 'reports', 'dashboards'] as const;

/**
 * Reads a package folder: `app.json` and every `*.json` of `forms/`, `workflows/`, `rules/`,
 * `roles/`, `reports/` and `dashboards/` (missing folders are empty). Unparseable JSON is `JNY_APPPKG_UNREADABLE`;
 * the contents are checked by `validateAppPackage`.
 */
export async function readAppPackageFiles(dir: string): Promise<RawAppPackage> {
  const parse = async (file: string): Promise<unknown> => {
    let text: string;
    try {
      text = await readFile(join(dir, file), 'utf8');
    } catch (error) {
      throw new JoineryError('JNY_APPPKG_UNREADABLE', {
        path: join(dir, file),
        reason: code(error),
      });
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new JoineryError('JNY_APPPKG_UNREADABLE', {
        path: join(dir, file),
        reason: error instanceof Error ? error.message : 'invalid JSON',
      });
    }
  };
  const folder = async (name: string): Promise<Map<string, unknown>> => {
    let names: string[];
    try {
      names = await readdir(join(dir, name));
    } catch (error) {
      if (code(error) === 'ENOENT') return new Map();
      throw new JoineryError('JNY_APPPKG_UNREADABLE', {
        path: join(dir, name),
        reason: code(error),
      });
    }
    const docs = new Map<string, unknown>();
    for (const file of names.filter((n) => n.endsWith('.json')).sort()) {
      docs.set(`${name}/${file}`, await parse(`${name}/${file}`));
    }
    return docs;
  };
  return {
    manifest: await parse('app.json'),
    forms: await folder('forms'),
    workflows: await folder('workflows'),
    rules: await folder('rules'),
    roles: await folder('roles'),
    reports: await folder('reports'),
    dashboards: await folder('dashboards'),
  };
}

/**
 * Writes a package as files fit for version control: one canonical JSON file per item (sorted
 * keys, so an unchanged app exports byte for byte the same). The item folders are replaced, so
 * an item removed from the app disappears from the folder too.
 */
export async function writeAppPackageFiles(dir: string, pkg: AppPackage): Promise<string[]> {
  const files = new Map<string, unknown>([['app.json', pkg.manifest]]);
  for (const form of pkg.forms) files.set(`forms/${form.key}.json`, form);
  for (const workflow of pkg.workflows) files.set(`workflows/${workflow.id}.json`, workflow);
  for (const rule of pkg.rules) files.set(`rules/${rule.id}.json`, rule);
  for (const role of pkg.roles) files.set(`roles/${role.key}.json`, role);
  for (const report of pkg.reports) files.set(`reports/${report.key}.json`, report);
  for (const dashboard of pkg.dashboards) files.set(`dashboards/${dashboard.key}.json`, dashboard);
  await mkdir(dir, { recursive: true });
  for (const name of FOLDERS) {
    await rm(join(dir, name), { recursive: true, force: true });
    await mkdir(join(dir, name));
  }
  for (const [file, doc] of files) await writeFile(join(dir, file), canonicalJson(doc));
  return [...files.keys()];
}

function code(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : String(error);
}
