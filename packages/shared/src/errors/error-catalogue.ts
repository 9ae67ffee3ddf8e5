import { accessErrors } from './access-errors.ts';
import { appPackageErrors } from './app-package-errors.ts';
import { authErrors } from './auth-errors.ts';
import { automationErrors } from './automation-errors.ts';
import type { ErrorDefinition } from './define-errors.ts';
import { formErrors } from './form-errors.ts';
import { notificationErrors } from './notification-errors.ts';
import { recordErrors } from './record-errors.ts';
import { reportErrors } from './report-errors.ts';
import { requestErrors } from './request-errors.ts';
import { ruleErrors } from './rule-errors.ts';
import { workflowErrors } from './workflow-errors.ts';
import { workflowRuntimeErrors } from './workflow-runtime-errors.ts';

/**
 * Every error Joinery can answer with, by code. Each area keeps its entries in its own file;
 * add the file here. `docs/errors.md` lists the same codes, and a test keeps the two in step.
 */
export const errorCatalogue = Object.freeze({
  ...requestErrors,
  ...authErrors,
  ...accessErrors,
  ...workflowErrors,
  ...workflowRuntimeErrors,
  ...ruleErrors,
  ...formErrors,
  ...recordErrors,
  ...reportErrors,
  ...automationErrors,
  ...notificationErrors,
  ...appPackageErrors,
}) satisfies Readonly<Record<string, ErrorDefinition>>;

/** A code from the catalogue. */
export type ErrorCode = keyof typeof errorCatalogue;
