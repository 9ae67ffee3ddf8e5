import { type RolePermissions, rolePermissionsSchema } from '@joinery/access';
import { type FormDefinition, validateAppDefinition } from '@joinery/forms';
import { prepareReport } from '@joinery/reports';
import { type AutomationRule, validateAutomationRule } from '@joinery/rules';
import { isJoineryError, JoineryError } from '@joinery/shared';
import { validateWorkflow } from '@joinery/workflow';
import { Ajv } from 'ajv';
import { Value } from 'typebox/value';
import { ruleFieldProblem } from '../automation/rule-field-problem.ts';
import { publishedForm } from '../metadata/form-registry.ts';
import { dashboardProblems, declaredGlobalFields } from '../reports/dashboard-problems.ts';
import { reportCatalog } from '../reports/report-catalog.ts';
import { DashboardInput } from '../reports/report-schemas.ts';
import {
  APP_PACKAGE_FORMAT,
  type AppManifest,
  type AppPackage,
  type PackagedDefinition,
  type PackagedRole,
  type PackagedWorkflow,
} from './app-package.ts';

/** A package as read from its files, before validation: file name → parsed JSON. */
export interface RawAppPackage {
  readonly manifest: unknown;
  readonly forms: ReadonlyMap<string, unknown>;
  readonly workflows: ReadonlyMap<string, unknown>;
  readonly rules: ReadonlyMap<string, unknown>;
  readonly roles: ReadonlyMap<string, unknown>;
  readonly reports: ReadonlyMap<string, unknown>;
  readonly dashboards: ReadonlyMap<string, unknown>;
}

/** One problem of a package, named by its file and the JSON pointer in it. */
export interface PackageProblem {
  readonly file: string;
  readonly pointer: string;
  readonly reason: string;
}

const validatePermissions = new Ajv({ allErrors: true }).compile<RolePermissions>(
  rolePermissionsSchema,
);
const KEY = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Checks every file of a package with the engines' own validators — the form engine for the
 * forms (as one app, so relations and lookups resolve), the workflow engine for workflows, the
 * rule engine for automation rules, the access schema for roles, the report engine for reports
 * (prepared against the package's forms) — and that everything names forms of the package. Throws `JNY_APPPKG_INVALID` listing every problem; nothing is
 * installed from a package with any problem.
 */
export function validateAppPackage(raw: RawAppPackage): AppPackage {
  const problems: PackageProblem[] = [];
  const manifest = checkManifest(raw.manifest, problems);
  const formKeys = new Set(manifest?.forms ?? []);
  const forms = checkForms(raw, manifest, problems);
  const workflows: PackagedWorkflow[] = [];
  for (const [file, doc] of raw.workflows) {
    const result = validateWorkflow(doc);
    if (!result.ok) {
      for (const problem of result.problems) {
        problems.push({ file, pointer: problem.path, reason: problem.message });
      }
      continue;
    }
    const workflow = doc as PackagedWorkflow;
    if (!formKeys.has(workflow.form)) {
      problems.push({ file, pointer: '/form', reason: `no form ${workflow.form} in the package` });
    }
    workflows.push(workflow);
  }
  const rules: AutomationRule[] = [];
  for (const [file, doc] of raw.rules) {
    try {
      const rule = validateAutomationRule(doc);
      const named = 'form' in rule.trigger ? [rule.trigger.form] : [];
      for (const action of rule.actions)
        if (action.type === 'create_record') named.push(action.form);
      for (const form of named) {
        if (!formKeys.has(form)) problems.push({ file, pointer: '', reason: `no form ${form}` });
      }
      const form = 'form' in rule.trigger ? rule.trigger.form : undefined;
      const fieldProblem = ruleFieldProblem(
        rule,
        forms.find((f) => f.key === form),
      );
      if (fieldProblem && (form === undefined || formKeys.has(form))) {
        problems.push({ file, pointer: fieldProblem.path, reason: fieldProblem.reason });
      }
      rules.push(rule);
    } catch (error) {
      if (!isJoineryError(error)) throw error;
      problems.push({ file, pointer: String(error.params.path ?? ''), reason: error.message });
    }
  }
  const roles = checkRoles(raw, manifest, formKeys, problems);
  const reports = checkReports(raw, manifest, forms, problems);
  const dashboards = checkDashboards(raw, reports, problems);
  duplicates(
    workflows.map((w) => w.id),
    'workflows',
    problems,
  );
  duplicates(
    rules.map((r) => r.id),
    'rules',
    problems,
  );
  duplicates(
    roles.map((r) => r.key),
    'roles',
    problems,
  );
  if (problems.length > 0 || !manifest) throw invalid(problems);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return {
    manifest,
    forms,
    workflows: workflows.sort(byId),
    rules: rules.sort(byId),
    roles: roles.sort((a, b) => a.key.localeCompare(b.key)),
    reports: reports.sort((a, b) => a.key.localeCompare(b.key)),
    dashboards: dashboards.sort((a, b) => a.key.localeCompare(b.key)),
  };
}

function invalid(problems: readonly PackageProblem[]): JoineryError {
  const first = problems[0];
  return new JoineryError(
    'JNY_APPPKG_INVALID',
    {
      count: problems.length,
      first: first ? `${first.file}${first.pointer}: ${first.reason}` : '',
    },
    problems.map((p) => ({ field: `${p.file}${p.pointer}`, reason: p.reason })),
  );
}

function checkManifest(doc: unknown, problems: PackageProblem[]): AppManifest | null {
  const file = 'app.json';
  if (doc === null || typeof doc !== 'object') {
    problems.push({ file, pointer: '', reason: 'expected an object' });
    return null;
  }
  const manifest = doc as Partial<AppManifest>;
  if (manifest.format !== APP_PACKAGE_FORMAT || manifest.formatVersion !== 1) {
    problems.push({
      file,
      pointer: '/format',
      reason: `expected format ${APP_PACKAGE_FORMAT}, formatVersion 1`,
    });
  }
  if (typeof manifest.key !== 'string' || !KEY.test(manifest.key)) {
    problems.push({ file, pointer: '/key', reason: 'expected an app key' });
  }
  if (!Array.isArray(manifest.forms) || manifest.forms.some((f) => typeof f !== 'string')) {
    problems.push({ file, pointer: '/forms', reason: 'expected the list of form keys' });
    return null;
  }
  return manifest as AppManifest;
}

function checkForms(
  raw: RawAppPackage,
  manifest: AppManifest | null,
  problems: PackageProblem[],
): FormDefinition[] {
  if (!manifest) return [];
  const listed = new Set(manifest.forms);
  for (const file of raw.forms.keys()) {
    if (!listed.has(file.replace(/^forms\/|\.json$/g, ''))) {
      problems.push({ file, pointer: '', reason: 'not listed in app.json forms' });
    }
  }
  const docs: unknown[] = [];
  for (const key of manifest.forms) {
    const doc = raw.forms.get(`forms/${key}.json`);
    if (doc === undefined)
      problems.push({ file: `forms/${key}.json`, pointer: '', reason: 'missing' });
    else docs.push(doc);
  }
  const result = validateAppDefinition({
    key: manifest.key,
    label: manifest.label,
    ...(manifest.description && { description: manifest.description }),
    forms: docs,
  });
  if (result.ok) return [...result.value.forms];
  for (const problem of result.problems) {
    const match = /^\/forms\/(\d+)(.*)$/.exec(problem.pointer);
    const key = match ? manifest.forms[Number(match[1])] : undefined;
    problems.push({
      file: key ? `forms/${key}.json` : 'app.json',
      pointer: match ? (match[2] ?? '') : problem.pointer,
      reason: problem.message.en,
    });
  }
  return [];
}

function checkRoles(
  raw: RawAppPackage,
  manifest: AppManifest | null,
  formKeys: ReadonlySet<string>,
  problems: PackageProblem[],
): PackagedRole[] {
  const roles: PackagedRole[] = [];
  for (const [file, doc] of raw.roles) {
    const role = doc as Partial<PackagedRole> | null;
    if (!role || typeof role.key !== 'string' || !KEY.test(role.key)) {
      problems.push({ file, pointer: '/key', reason: 'expected a role key' });
      continue;
    }
    const name = role.name as Record<string, unknown> | undefined;
    if (typeof name?.['zh-CN'] !== 'string' || typeof name.en !== 'string') {
      problems.push({ file, pointer: '/name', reason: 'expected a zh-CN and en name' });
    }
    const appKey = manifest?.key ?? 'app';
    if (!validatePermissions({ apps: { [appKey]: role.permissions } })) {
      for (const error of validatePermissions.errors ?? []) {
        const pointer = error.instancePath.replace(`/apps/${appKey}`, '/permissions');
        problems.push({ file, pointer, reason: error.message ?? 'invalid' });
      }
      continue;
    }
    for (const form of Object.keys(role.permissions?.forms ?? {})) {
      if (form !== '*' && !formKeys.has(form)) {
        problems.push({ file, pointer: `/permissions/forms/${form}`, reason: `no form ${form}` });
      }
    }
    roles.push(role as PackagedRole);
  }
  return roles;
}

function duplicates(ids: readonly string[], folder: string, problems: PackageProblem[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) problems.push({ file: folder, pointer: '', reason: `${id} appears twice` });
    seen.add(id);
  }
}

function keyed(file: string, doc: unknown, problems: PackageProblem[]): PackagedDefinition | null {
  const item = doc as Partial<PackagedDefinition> | null;
  if (!item || typeof item.key !== 'string' || !KEY.test(item.key)) {
    problems.push({ file, pointer: '/key', reason: 'expected a key' });
    return null;
  }
  return { key: item.key, definition: item.definition };
}

function checkReports(
  raw: RawAppPackage,
  manifest: AppManifest | null,
  forms: readonly FormDefinition[],
  problems: PackageProblem[],
): PackagedDefinition[] {
  if (!manifest || forms.length !== manifest.forms.length) return [];
  const catalog = reportCatalog(forms.map((form) => publishedForm(manifest.key, '', '', form)));
  const reports: PackagedDefinition[] = [];
  for (const [file, doc] of raw.reports) {
    const report = keyed(file, doc, problems);
    if (!report) continue;
    try {
      prepareReport(report.definition, catalog);
      reports.push(report);
    } catch (error) {
      if (!isJoineryError(error)) throw error;
      const fields =
        error.fields.length > 0 ? error.fields : [{ field: '', reason: error.message }];
      for (const problem of fields) {
        const reason = typeof problem.reason === 'string' ? problem.reason : problem.reason.en;
        problems.push({ file, pointer: `/definition${problem.field}`, reason });
      }
    }
  }
  return reports;
}

function checkDashboards(
  raw: RawAppPackage,
  reports: readonly PackagedDefinition[],
  problems: PackageProblem[],
): PackagedDefinition[] {
  const declared = new Map(
    reports.map((report) => [report.key, declaredGlobalFields(report.definition)]),
  );
  const dashboards: PackagedDefinition[] = [];
  for (const [file, doc] of raw.dashboards) {
    const dashboard = keyed(file, doc, problems);
    if (!dashboard) continue;
    if (!Value.Check(DashboardInput, dashboard.definition)) {
      for (const error of Value.Errors(DashboardInput, dashboard.definition)) {
        problems.push({ file, pointer: `/definition${error.instancePath}`, reason: error.message });
      }
      continue;
    }
    const found = dashboardProblems(dashboard.definition, declared);
    for (const problem of found) {
      problems.push({ file, pointer: `/definition${problem.field}`, reason: problem.reason.en });
    }
    if (found.length === 0) dashboards.push(dashboard);
  }
  return dashboards;
}
