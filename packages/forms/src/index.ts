export { normaliseBankAccount, passesLuhn } from './cn/bank-account.ts';
export { CN_MOBILE_PATTERN, normaliseCnMobile } from './cn/mobile-phone.ts';
export type { NationalIdProblem } from './cn/national-id.ts';
export {
  checkNationalId,
  nationalIdBirthDate,
  nationalIdCheckChar,
  nationalIdGender,
} from './cn/national-id.ts';
export type { SelectOption } from './field-types/choice-types.ts';
export type {
  FormulaResultType,
  RollupAggregate,
  RollupConfig,
} from './field-types/computed-types.ts';
export {
  coerceFormulaResult,
  FORMULA_RESULT_TYPES,
  ROLLUP_AGGREGATES,
} from './field-types/computed-types.ts';
export { dateTimeFromDb } from './field-types/date-value.ts';
export type {
  BoundFieldType,
  FieldStorage,
  FieldType,
  FieldTypeSpec,
  JsonSchema,
  Normalised,
  RuleValueType,
  ValidationName,
} from './field-types/define-field-type.ts';
export { defineFieldType } from './field-types/define-field-type.ts';
export type { FieldTypeRegistry } from './field-types/field-type-registry.ts';
export {
  BUILT_IN_FIELD_TYPES,
  createFieldTypeRegistry,
  fieldTypes,
} from './field-types/field-type-registry.ts';
export { fileLimitsOf } from './field-types/file-limits.ts';
export type { FileLimits, FileReference } from './field-types/file-types.ts';
export { mimeAccepted, readFileLimits } from './field-types/file-types.ts';
export type { FormEvaluation, RuleFailure } from './linkage/evaluate-form.ts';
export { evaluateForm, isEmpty } from './linkage/evaluate-form.ts';
export type { FieldLogic, FormLogic } from './linkage/form-logic.ts';
export { compileFormLogic, computedDependents, computedInputs } from './linkage/form-logic.ts';
export { logicReferences, readsContext } from './linkage/logic-references.ts';
export type { RecordWrite, RecordWriteRequest } from './linkage/prepare-record-write.ts';
export { assertRecordWrite, prepareRecordWrite } from './linkage/prepare-record-write.ts';
export { rollupValue } from './linkage/rollup-value.ts';
export type { ColumnType } from './publish/column-data-type.ts';
export { columnDataType, numericLimits } from './publish/column-data-type.ts';
export type { SqlStatement } from './publish/ddl-compiler.ts';
export { coldDb } from './publish/ddl-compiler.ts';
export { SYSTEM_COLUMNS } from './publish/ddl-statements.ts';
export type { FormSqlSchemaOptions } from './publish/form-sql-schema.ts';
export { formSqlSchema, sqlFieldType } from './publish/form-sql-schema.ts';
export type { PlanPublishOptions } from './publish/plan-publish.ts';
export { planPublish } from './publish/plan-publish.ts';
export type { CheckRow } from './publish/publish-errors.ts';
export { assertPublishable, unconvertibleRowsError } from './publish/publish-errors.ts';
export type {
  EncodeValues,
  PublishCheck,
  PublishPlan,
  PublishRefusal,
  PublishStep,
  PublishStepKind,
  PublishWarning,
} from './publish/publish-plan.ts';
export {
  appSchemaName,
  blindIndexColumn,
  childTableName,
  constraintName,
  formTableName,
  isBlindIndexColumn,
} from './publish/table-names.ts';
export type { ColumnConversion } from './publish/type-conversion.ts';
export { planConversion } from './publish/type-conversion.ts';
export type { RecordSystemValues } from './records/record-from-row.ts';
export { recordFromRow } from './records/record-from-row.ts';
export type {
  AppDefinition,
  FieldDefinition,
  FieldLayout,
  FieldRules,
  FieldValidations,
  FormDefinition,
  JsonLogic,
  SectionDefinition,
} from './schema/app-definition.ts';
export {
  appDefinitionSchema,
  formDefinitionSchema,
  keySchema,
  LIMITS,
  localizedSchema,
} from './schema/app-definition-schema.ts';
export type { DefinitionProblem } from './schema/definition-problem.ts';
export { definitionMessages, problemsInLocale } from './schema/definition-problem.ts';
export type { KeyProblem } from './schema/identifier.ts';
export {
  CHILD_TABLE_KEYS,
  checkKey,
  KEY_PATTERN,
  RESERVED_WORDS,
  SYSTEM_FIELD_KEYS,
} from './schema/identifier.ts';
export type { DefinitionResult } from './schema/validate-app-definition.ts';
export {
  deepFreeze,
  parseAppDefinition,
  parseFormDefinition,
  validateAppDefinition,
  validateFormDefinition,
} from './schema/validate-app-definition.ts';
export { serialCounterKey } from './serial/serial-counter-key.ts';
export type { LocalDate, SerialToken } from './serial/serial-pattern.ts';
export { formatSerial, parseSerialPattern, serialCounterScope } from './serial/serial-pattern.ts';
export type { FormValidator } from './validation/compile-form-validator.ts';
export { compileFormValidator, subformDefinition } from './validation/compile-form-validator.ts';
export type { CompiledField } from './validation/compiled-field.ts';
export { recordMessages } from './validation/record-messages.ts';
export type { RecordProblem, RecordResult } from './validation/record-problem.ts';
export { recordInvalidError } from './validation/record-problem.ts';
export type { PatternProblem } from './validation/safe-pattern.ts';
export { checkPattern, MAX_PATTERN_LENGTH } from './validation/safe-pattern.ts';
