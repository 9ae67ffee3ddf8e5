import { Ajv } from 'ajv';
import { ajvProblems } from './ajv-problems.ts';
import { type DefinitionProblem, throwIfProblems } from './definition-problem.ts';
import type { ReportDefinition } from './report-definition.ts';
import { reportDefinitionSchema } from './report-definition-schema.ts';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
const check = ajv.compile<ReportDefinition>(reportDefinitionSchema);

/**
 * The structural problems of a report definition (JSON pointers, zh-CN and en), without the
 * catalogue: what a designer can show while the user types. `prepareReport` adds the checks
 * against the datasets and the chart type.
 */
export function reportDefinitionProblems(input: unknown): DefinitionProblem[] {
  return check(input) ? [] : ajvProblems(check.errors);
}

/**
 * Narrows `input` to a structurally valid definition, or throws
 * `JNY_REPORT_DEFINITION_INVALID` with every problem.
 */
export function assertReportDefinition(input: unknown): asserts input is ReportDefinition {
  throwIfProblems(reportDefinitionProblems(input));
}
