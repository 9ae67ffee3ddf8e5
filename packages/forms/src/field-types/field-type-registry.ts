import { JoineryError } from '@joinery/shared';
import { checkboxField, multiSelectField, selectField } from './choice-types.ts';
import { formulaField, lookupField, rollupField, serialField } from './computed-types.ts';
import {
  bankAccountField,
  emailField,
  mobileField,
  nationalIdField,
  urlField,
} from './contact-types.ts';
import { dateField, dateTimeField } from './date-types.ts';
import type { FieldType } from './define-field-type.ts';
import { attachmentField, imageField } from './file-types.ts';
import { moneyField, numberField, percentField } from './number-types.ts';
import { departmentField, userField } from './people-types.ts';
import { relationField, subformField } from './structure-types.ts';
import { textareaField, textField } from './text-types.ts';

/**
 * Every field type, every version. A new version of a type is added beside the old one and
 * never replaces it: a saved form names its `typeVersion` and keeps its meaning.
 */
export const BUILT_IN_FIELD_TYPES: readonly FieldType[] = Object.freeze([
  textField,
  textareaField,
  numberField,
  moneyField,
  percentField,
  dateField,
  dateTimeField,
  selectField,
  multiSelectField,
  checkboxField,
  userField,
  departmentField,
  mobileField,
  emailField,
  nationalIdField,
  bankAccountField,
  urlField,
  attachmentField,
  imageField,
  subformField,
  relationField,
  lookupField,
  rollupField,
  formulaField,
  serialField,
]);

/** Looks field types up by name and version. */
export interface FieldTypeRegistry {
  /** The type, or a `JNY_FORM_FIELD_TYPE_UNKNOWN` error. */
  get(type: string, version: number): FieldType;
  find(type: string, version: number): FieldType | undefined;
  /** The newest version of a type; new fields are stamped with it. */
  latest(type: string): FieldType | undefined;
  readonly all: readonly FieldType[];
}

/**
 * Builds a registry, checking at start-up that no (type, version) pair is declared twice and
 * that versions of a type are numbered 1, 2, 3… without gaps.
 */
export function createFieldTypeRegistry(types: readonly FieldType[]): FieldTypeRegistry {
  const byKey = new Map<string, FieldType>();
  const newest = new Map<string, FieldType>();
  for (const type of types) {
    const key = `${type.type}@${type.version}`;
    if (byKey.has(key)) throw new Error(`Field type ${key} is registered twice`);
    byKey.set(key, type);
    const current = newest.get(type.type);
    if (!current || current.version < type.version) newest.set(type.type, type);
  }
  for (const [name, type] of newest) {
    for (let version = 1; version <= type.version; version += 1) {
      if (!byKey.has(`${name}@${version}`))
        throw new Error(`Field type ${name}@${version} is missing`);
    }
  }
  return Object.freeze({
    all: Object.freeze([...types]),
    find: (type: string, version: number) => byKey.get(`${type}@${version}`),
    latest: (type: string) => newest.get(type),
    get(type: string, version: number): FieldType {
      const found = byKey.get(`${type}@${version}`);
      if (!found) throw new JoineryError('JNY_FORM_FIELD_TYPE_UNKNOWN', { type, version });
      return found;
    },
  });
}

/** The registry of the built-in field types. */
export const fieldTypes: FieldTypeRegistry = createFieldTypeRegistry(BUILT_IN_FIELD_TYPES);
