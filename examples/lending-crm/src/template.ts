import { fileURLToPath } from 'node:url';

/** The key of the lending CRM app (its Postgres schema is `app_lending`). */
export const LENDING_APP_KEY = 'lending';

/**
 * The folder holding the template as an app package (`app.json`, `forms/`, `workflows/`,
 * `rules/`, `roles/`): pure metadata, installed by `joinery app import` like any other package.
 */
export const LENDING_APP_DIR = fileURLToPath(new URL('../app/', import.meta.url));

/** The role keys of the template, in the order of the spec (LENDING-CRM.md). */
export const LENDING_ROLES = [
  'sales',
  'reviewer',
  'risk',
  'compliance',
  'committee',
  'finance',
  'collector',
  'support',
  'manager',
  'admin',
] as const;

/** One of {@link LENDING_ROLES}. */
export type LendingRole = (typeof LENDING_ROLES)[number];
