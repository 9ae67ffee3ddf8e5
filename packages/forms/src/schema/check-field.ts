import { compileLogic } from '@joinery/rules';
import { isJoineryError } from '@joinery/shared';
import type { ValidateFunction } from 'ajv';
import { compareDecimal } from '../field-types/decimal-value.ts';
import type { FieldType } from '../field-types/define-field-type.ts';
import type { FieldTypeRegistry } from '../field-types/field-type-registry.ts';
import { isBlindIndexColumn } from '../publish/table-names.ts';
import { parseSerialPattern } from '../serial/serial-pattern.ts';
import { checkPattern } from '../validation/safe-pattern.ts';
import { ajvProblems } from './ajv-problems.ts';
import type { FieldDefinition } from './app-definition.ts';
import { createAjv } from './create-ajv.ts';
import { type DefinitionProblem, definitionProblem } from './definition-problem.ts';
import { checkKey } from './identifier.ts';

const configAjv = createAjv();
const configValidators = new WeakMap<FieldType, ValidateFunction>();

function configValidator(type: FieldType): ValidateFunction {
  let validate = configValidators.get(type);
  if (!validate) {
    validate = configAjv.compile(type.configSchema);
    configValidators.set(type, validate);
  }
  return validate;
}

/** Compiles a JSON-logic expression only to see whether it is valid. */
export function logicProblem(logic: unknown, pointer: string): DefinitionProblem | null {
  try {
    compileLogic(logic);
    return null;
  } catch (error) {
    const detail = isJoineryError(error) ? error.message : String(error);
    return definitionProblem(pointer, 'badLogic', { detail });
  }
}

/**
 * Checks one field beyond the JSON schema: its key, its type and config, the validations its
 * type supports, a safe pattern, and valid JSON-logic in its rules and formula. Cross-field and
 * cross-form references are checked by `checkFormDefinition`.
 */
export function checkField(
  field: FieldDefinition,
  pointer: string,
  registry: FieldTypeRegistry,
): { problems: DefinitionProblem[]; type: FieldType | null } {
  const problems: DefinitionProblem[] = [];
  const keyProblem = checkKey(field.key, 'field');
  if (keyProblem === 'reserved') {
    problems.push(definitionProblem(`${pointer}/key`, 'reservedKey', { key: field.key }));
  } else if (keyProblem === 'system' || isBlindIndexColumn(field.key)) {
    problems.push(definitionProblem(`${pointer}/key`, 'systemKey', { key: field.key }));
  }
  const version = field.typeVersion ?? registry.latest(field.type)?.version ?? 1;
  const type = registry.find(field.type, version);
  if (!type) {
    problems.push(
      definitionProblem(`${pointer}/type`, 'unknownType', { type: field.type, version }),
    );
    return { problems, type: null };
  }
  const validateConfig = configValidator(type);
  if (!validateConfig(field.config ?? {})) {
    problems.push(...ajvProblems(validateConfig.errors, `${pointer}/config`));
    return { problems, type };
  }
  const validations = field.validations ?? {};
  for (const name of Object.keys(validations)) {
    if (name === 'patternMessage') continue;
    if (!type.validations.some((allowed) => allowed === name)) {
      problems.push(
        definitionProblem(`${pointer}/validations/${name}`, 'validationNotApplicable', {
          type: field.type,
          validation: name,
        }),
      );
    }
  }
  problems.push(...checkBounds(field, type, `${pointer}/validations`));
  if (validations.pattern !== undefined) {
    const problem = checkPattern(validations.pattern);
    if (problem) {
      problems.push(
        definitionProblem(`${pointer}/validations/pattern`, 'unsafePattern', { problem }),
      );
    }
  }
  for (const [name, logic] of Object.entries(field.rules ?? {})) {
    const problem = logicProblem(logic, `${pointer}/rules/${name}`);
    if (problem) problems.push(problem);
  }
  if (field.type === 'formula') {
    const problem = logicProblem(field.config?.logic, `${pointer}/config/logic`);
    if (problem) problems.push(problem);
  }
  if (field.type === 'serial' && typeof field.config?.pattern === 'string') {
    const parsed = parseSerialPattern(field.config.pattern);
    if (!parsed.ok) {
      problems.push(
        definitionProblem(`${pointer}/config/pattern`, 'badSerialPattern', {
          detail: parsed.reason,
        }),
      );
    }
  }
  if (field.sensitive === true && !type.encryptable) {
    problems.push(
      definitionProblem(`${pointer}/sensitive`, 'sensitiveNotAllowed', {
        key: field.key,
        type: field.type,
      }),
    );
  }
  if (field.fields !== undefined && field.type !== 'subform') {
    problems.push(definitionProblem(`${pointer}/fields`, 'fieldsOnlyForSubform'));
  }
  if (field.type === 'subform' && field.fields === undefined) {
    problems.push(definitionProblem(`${pointer}/fields`, 'subformNeedsFields'));
  }
  return { problems, type };
}

function checkBounds(
  field: FieldDefinition,
  type: FieldType,
  pointer: string,
): DefinitionProblem[] {
  const { min, max, minLength, maxLength, minItems, maxItems } = field.validations ?? {};
  const problems: DefinitionProblem[] = [];
  const bound = type.bind(field);
  const parsed: Record<string, unknown> = {};
  for (const [name, value] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (value === undefined) continue;
    const result = bound.normalise(value);
    if (!result.ok || result.value === null) {
      problems.push(definitionProblem(`${pointer}/${name}`, 'badBound', { value }));
    } else parsed[name] = result.value;
  }
  const lower = parsed.min;
  const upper = parsed.max;
  if (lower !== undefined && upper !== undefined && compareValues(lower, upper) > 0) {
    problems.push(definitionProblem(pointer, 'minAboveMax'));
  }
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    problems.push(definitionProblem(pointer, 'minAboveMax'));
  }
  if (minItems !== undefined && maxItems !== undefined && minItems > maxItems) {
    problems.push(definitionProblem(pointer, 'minAboveMax'));
  }
  return problems;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Orders two normalised values of one field: numbers, decimal strings or ISO dates. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  if (DECIMAL.test(sa) && DECIMAL.test(sb)) return compareDecimal(sa, sb);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
