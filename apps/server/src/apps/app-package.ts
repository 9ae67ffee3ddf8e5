import type { AppPermission } from '@joinery/access';
import type { FormDefinition } from '@joinery/forms';
import type { AutomationRule } from '@joinery/rules';
import type { LocalizedText } from '@joinery/shared';

/** The format name written into every package's `app.json`. */
export const APP_PACKAGE_FORMAT = 'joinery-app-package';

/**
 * `app.json`: the app and its forms in publish order (a form's relations point at earlier
 * forms, or at itself).
 */
export interface AppManifest {
  readonly format: typeof APP_PACKAGE_FORMAT;
  readonly formatVersion: 1;
  readonly key: string;
  readonly label: LocalizedText;
  readonly description?: LocalizedText;
  readonly forms: readonly string[];
}

/** `roles/<key>.json`: a role and its rights in this app only (its other apps stay untouched). */
export interface PackagedRole {
  readonly key: string;
  readonly name: LocalizedText;
  readonly permissions: AppPermission;
}

/** A workflow definition as the workflow engine reads it, for the form it names. */
export interface PackagedWorkflow {
  readonly id: string;
  readonly form: string;
  readonly [member: string]: unknown;
}

/** `reports/<key>.json` and `dashboards/<key>.json`: a report or dashboard definition by key. */
export interface PackagedDefinition {
  readonly key: string;
  readonly definition: unknown;
}

/**
 * An app's whole metadata, one item per file: forms, workflows, automation rules, roles,
 * reports and dashboards.
 * Everything in it has passed the engines' own validators.
 */
export interface AppPackage {
  readonly manifest: AppManifest;
  readonly forms: readonly FormDefinition[];
  readonly workflows: readonly PackagedWorkflow[];
  readonly rules: readonly AutomationRule[];
  readonly roles: readonly PackagedRole[];
  readonly reports: readonly PackagedDefinition[];
  readonly dashboards: readonly PackagedDefinition[];
}

/** The kinds of items in a package, in the order they are applied. */
export const ITEM_KINDS = [
  'app',
  'form',
  'workflow',
  'rule',
  'role',
  'report',
  'dashboard',
] as const;

/** One of {@link ITEM_KINDS}. */
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Sorts object keys at every level (arrays keep their order): a stable shape to diff and store. */
export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .filter((key) => source[key] !== undefined)
        .sort()
        .map((key) => [key, sortedKeys(source[key])]),
    );
  }
  return value;
}

/** The file text of a package item: sorted keys, two-space indent, final newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortedKeys(value), null, 2)}\n`;
}
