import { formatText, type Locale, type LocalizedText } from '@joinery/shared';

/** One problem in a form definition: where (a JSON pointer into the document) and why. */
export interface DefinitionProblem {
  readonly pointer: string;
  /** A stable reason code (an ajv keyword, or one of `definitionMessages`' keys). */
  readonly reason: string;
  readonly message: LocalizedText;
}

/** Messages of the checks beyond the JSON schema. */
export const definitionMessages = {
  reservedKey: {
    'zh-CN': '“{key}”是保留字，不能用作标识',
    en: '"{key}" is a reserved word and cannot be a key',
  },
  systemKey: {
    'zh-CN': '“{key}”是系统字段名，不能用作字段标识',
    en: '"{key}" is a system field name and cannot be a field key',
  },
  duplicateKey: { 'zh-CN': '标识“{key}”重复', en: 'The key "{key}" is used twice' },
  duplicateId: { 'zh-CN': '字段编号“{id}”重复', en: 'The field id "{id}" is used twice' },
  unknownType: {
    'zh-CN': '未知的字段类型 {type}（版本 {version}）',
    en: 'Unknown field type {type} (version {version})',
  },
  validationNotApplicable: {
    'zh-CN': '{type} 类型的字段不支持校验规则 {validation}',
    en: 'A {type} field does not support the validation {validation}',
  },
  minAboveMax: { 'zh-CN': '下限大于上限', en: 'The lower bound is above the upper bound' },
  badBound: {
    'zh-CN': '界限“{value}”不是此字段类型的有效值',
    en: 'The bound "{value}" is not a valid value of this field type',
  },
  unsafePattern: {
    'zh-CN': '正则表达式不安全或无效（{problem}）',
    en: 'The regular expression is unsafe or invalid ({problem})',
  },
  unknownSection: { 'zh-CN': '没有分组“{key}”', en: 'There is no section "{key}"' },
  fieldsOnlyForSubform: {
    'zh-CN': '只有子表单字段可以包含 fields',
    en: 'Only a subform field may hold fields',
  },
  subformNeedsFields: {
    'zh-CN': '子表单至少需要一个字段',
    en: 'A subform needs at least one field',
  },
  notAllowedInSubform: {
    'zh-CN': '子表单中不能使用 {type} 类型的字段',
    en: 'A {type} field cannot be used inside a subform',
  },
  nameTooLong: {
    'zh-CN': '表名“{name}”超过 63 个字符',
    en: 'The table name "{name}" is longer than 63 characters',
  },
  unknownForm: { 'zh-CN': '应用中没有表单“{key}”', en: 'The app has no form "{key}"' },
  unknownField: { 'zh-CN': '没有字段“{key}”', en: 'There is no field "{key}"' },
  wrongFieldType: {
    'zh-CN': '字段“{key}”的类型应为 {expected}',
    en: 'The field "{key}" must be of type {expected}',
  },
  badLogic: { 'zh-CN': 'JSON-logic 表达式无效：{detail}', en: 'Invalid JSON-logic: {detail}' },
  badSerialPattern: {
    'zh-CN': '流水号格式无效：{detail}',
    en: 'Invalid serial number pattern: {detail}',
  },
  formulaCycle: {
    'zh-CN': '计算字段“{key}”循环引用了自身',
    en: 'The computed field "{key}" depends on itself',
  },
  sensitiveNotAllowed: {
    'zh-CN':
      '字段“{key}”（{type}）不能设为敏感加密存储：只有单行文本、手机号、身份证号、银行账号和邮箱字段可以',
    en: 'The field "{key}" ({type}) cannot be sensitive: only text, mobile phone, national ID, bank account and email fields can be stored encrypted',
  },
  sensitiveInSubform: {
    'zh-CN': '子表单中的字段“{key}”不能设为敏感加密存储',
    en: 'The field "{key}" is inside a subform and cannot be sensitive',
  },
  uniqueNotStored: {
    'zh-CN': '此字段不能设为唯一',
    en: 'This field cannot be unique',
  },
} satisfies Record<string, LocalizedText>;

/** Builds a problem from one of `definitionMessages`. */
export function definitionProblem(
  pointer: string,
  reason: keyof typeof definitionMessages,
  params: Readonly<Record<string, unknown>> = {},
): DefinitionProblem {
  const template = definitionMessages[reason];
  return {
    pointer,
    reason,
    message: {
      'zh-CN': formatText(template['zh-CN'], params),
      en: formatText(template.en, params),
    },
  };
}

/** Renders problems as the `fields` of a JoineryError, in one language. */
export function problemsInLocale(
  problems: readonly DefinitionProblem[],
  locale: Locale,
): { field: string; reason: string }[] {
  return problems.map((problem) => ({ field: problem.pointer, reason: problem.message[locale] }));
}
