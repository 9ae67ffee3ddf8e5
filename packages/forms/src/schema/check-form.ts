import type { FieldTypeRegistry } from '../field-types/field-type-registry.ts';
import { computedCycle } from '../linkage/form-logic.ts';
import { logicReferences } from '../linkage/logic-references.ts';
import type { FieldDefinition, FormDefinition } from './app-definition.ts';
import { checkField } from './check-field.ts';
import { type DefinitionProblem, definitionProblem } from './definition-problem.ts';
import { checkKey, SYSTEM_FIELD_KEYS } from './identifier.ts';

/** Field types that cannot sit inside a subform's rows. */
const NOT_IN_SUBFORM = new Set(['subform', 'lookup', 'rollup', 'serial', 'relation']);
const NUMERIC_TYPES = new Set(['number', 'money', 'percent', 'formula', 'rollup']);

/**
 * Checks one form beyond the JSON schema: key, unique keys and ids (deleted fields keep theirs:
 * their columns still exist), every field, sections, subforms, and references to other forms
 * (`forms`: the app's forms, when known).
 */
export function checkFormDefinition(
  form: FormDefinition,
  pointer: string,
  registry: FieldTypeRegistry,
  forms: readonly FormDefinition[] | null,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (checkKey(form.key, 'form') !== null) {
    problems.push(definitionProblem(`${pointer}/key`, 'reservedKey', { key: form.key }));
  }
  const sections = new Set((form.sections ?? []).map((section) => section.key));
  problems.push(...checkFieldList(form.fields, `${pointer}/fields`, registry, false));
  form.fields.forEach((field, index) => {
    const at = `${pointer}/fields/${index}`;
    const section = field.layout?.section;
    if (section !== undefined && !sections.has(section)) {
      problems.push(definitionProblem(`${at}/layout/section`, 'unknownSection', { key: section }));
    }
    if (field.type === 'subform') {
      const name = `${form.key}__${field.key}`;
      if (name.length > 63) problems.push(definitionProblem(`${at}/key`, 'nameTooLong', { name }));
      problems.push(...checkFieldList(field.fields ?? [], `${at}/fields`, registry, true));
    }
    if (field.type === 'relation' && field.config?.multiple === true) {
      const name = `${form.key}__${field.key}`;
      if (name.length > 63) problems.push(definitionProblem(`${at}/key`, 'nameTooLong', { name }));
    }
    problems.push(...checkReferences(field, at, form, forms));
  });
  problems.push(...checkLogicReferences(form.fields, `${pointer}/fields`));
  for (const field of form.fields) {
    if (field.type !== 'subform' || !field.fields) continue;
    const index = form.fields.indexOf(field);
    problems.push(...checkLogicReferences(field.fields, `${pointer}/fields/${index}/fields`));
  }
  for (const key of computedCycle(form)) {
    const index = form.fields.findIndex((field) => field.key === key);
    problems.push(definitionProblem(`${pointer}/fields/${index}/config`, 'formulaCycle', { key }));
  }
  return problems;
}

/**
 * Every `var` in a field's rules or formula must name a live field of the same form (or row),
 * or a system column: a misspelt name would silently read null forever.
 */
function checkLogicReferences(
  fields: readonly FieldDefinition[],
  pointer: string,
): DefinitionProblem[] {
  const known = new Set<string>([
    ...SYSTEM_FIELD_KEYS,
    ...fields.filter((field) => !field.deleted).map((field) => field.key),
  ]);
  const problems: DefinitionProblem[] = [];
  fields.forEach((field, index) => {
    const sources: [string, unknown][] = Object.entries(field.rules ?? {}).map(([name, logic]) => [
      `rules/${name}`,
      logic,
    ]);
    if (field.type === 'formula') sources.push(['config/logic', field.config?.logic]);
    for (const [where, logic] of sources) {
      for (const name of logicReferences(logic)) {
        if (name !== '*' && !known.has(name)) {
          problems.push(
            definitionProblem(`${pointer}/${index}/${where}`, 'unknownField', { key: name }),
          );
        }
      }
    }
  });
  return problems;
}

function checkFieldList(
  fields: readonly FieldDefinition[],
  pointer: string,
  registry: FieldTypeRegistry,
  inSubform: boolean,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const keys = new Set<string>();
  const ids = new Set<string>();
  fields.forEach((field, index) => {
    const at = `${pointer}/${index}`;
    if (keys.has(field.key))
      problems.push(definitionProblem(`${at}/key`, 'duplicateKey', { key: field.key }));
    if (ids.has(field.id))
      problems.push(definitionProblem(`${at}/id`, 'duplicateId', { id: field.id }));
    keys.add(field.key);
    ids.add(field.id);
    problems.push(...checkField(field, at, registry).problems);
    if (inSubform && NOT_IN_SUBFORM.has(field.type)) {
      problems.push(definitionProblem(`${at}/type`, 'notAllowedInSubform', { type: field.type }));
    }
    if (field.validations?.unique && inSubform) {
      problems.push(definitionProblem(`${at}/validations/unique`, 'uniqueNotStored'));
    }
    if (field.sensitive && inSubform) {
      problems.push(definitionProblem(`${at}/sensitive`, 'sensitiveInSubform', { key: field.key }));
    }
  });
  return problems;
}

function liveField(form: FormDefinition, key: string): FieldDefinition | undefined {
  return form.fields.find((field) => field.key === key && !field.deleted);
}

/** Relation targets, lookup paths and rollup sources must exist and have the right types. */
function checkReferences(
  field: FieldDefinition,
  at: string,
  form: FormDefinition,
  forms: readonly FormDefinition[] | null,
): DefinitionProblem[] {
  const config = field.config ?? {};
  const problems: DefinitionProblem[] = [];
  const findForm = (key: unknown) => forms?.find((candidate) => candidate.key === key);
  if (field.type === 'relation' && forms && !findForm(config.form)) {
    problems.push(definitionProblem(`${at}/config/form`, 'unknownForm', { key: config.form }));
  }
  if (field.type === 'lookup' && typeof config.relation === 'string') {
    const relation = liveField(form, config.relation);
    if (!relation) {
      problems.push(
        definitionProblem(`${at}/config/relation`, 'unknownField', { key: config.relation }),
      );
    } else if (relation.type !== 'relation' || relation.config?.multiple === true) {
      problems.push(
        definitionProblem(`${at}/config/relation`, 'wrongFieldType', {
          key: relation.key,
          expected: 'relation (one)',
        }),
      );
    } else {
      const target = findForm(relation.config?.form);
      if (target && typeof config.field === 'string' && !liveField(target, config.field)) {
        problems.push(
          definitionProblem(`${at}/config/field`, 'unknownField', { key: config.field }),
        );
      }
    }
  }
  if (field.type === 'rollup') {
    if (typeof config.subform === 'string') {
      const subform = liveField(form, config.subform);
      if (subform?.type !== 'subform') {
        problems.push(
          definitionProblem(`${at}/config/subform`, 'wrongFieldType', {
            key: config.subform,
            expected: 'subform',
          }),
        );
      } else if (typeof config.field === 'string') {
        const source = subform.fields?.find((row) => row.key === config.field && !row.deleted);
        if (!source) {
          problems.push(
            definitionProblem(`${at}/config/field`, 'unknownField', { key: config.field }),
          );
        } else if (
          config.aggregate !== 'count' &&
          !NUMERIC_TYPES.has(source.type) &&
          source.type !== 'date'
        ) {
          problems.push(
            definitionProblem(`${at}/config/field`, 'wrongFieldType', {
              key: source.key,
              expected: 'number',
            }),
          );
        }
      }
    } else if (typeof config.form === 'string' && forms) {
      const source = findForm(config.form);
      if (!source) {
        problems.push(definitionProblem(`${at}/config/form`, 'unknownForm', { key: config.form }));
      } else if (typeof config.via === 'string') {
        const via = liveField(source, config.via);
        if (via?.type !== 'relation' || via.config?.form !== form.key) {
          problems.push(
            definitionProblem(`${at}/config/via`, 'wrongFieldType', {
              key: config.via,
              expected: `relation → ${form.key}`,
            }),
          );
        }
        if (typeof config.field === 'string' && !liveField(source, config.field)) {
          problems.push(
            definitionProblem(`${at}/config/field`, 'unknownField', { key: config.field }),
          );
        }
      }
    }
  }
  return problems;
}
