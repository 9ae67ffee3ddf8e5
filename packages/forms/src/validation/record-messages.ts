import { formatText, type LocalizedText } from '@joinery/shared';

/**
 * Messages of record validation, by rule. Each names the field (`{label}`, in the message's
 * language), the offending value (`{value}`, shortened) and the rule's limit where it has one.
 */
export const recordMessages = {
  type: {
    'zh-CN': '“{label}”的值 {value} 类型不对，应为{expected}',
    en: '"{label}": {value} has the wrong type, expected {expected}',
  },
  required: { 'zh-CN': '“{label}”为必填项', en: '"{label}" is required' },
  unknown: {
    'zh-CN': '表单中没有字段“{key}”',
    en: 'The form has no field "{key}"',
  },
  notWritable: {
    'zh-CN': '字段“{label}”由系统计算，不能提交',
    en: '"{label}" is computed by the system and cannot be written',
  },
  hidden: {
    'zh-CN': '字段“{label}”当前隐藏，不能提交值 {value}',
    en: '"{label}" is hidden and cannot take the value {value}',
  },
  readOnly: {
    'zh-CN': '字段“{label}”当前只读，不能改为 {value}',
    en: '"{label}" is read-only and cannot change to {value}',
  },
  controlCharacters: {
    'zh-CN': '“{label}”的值含有不允许的控制字符',
    en: '"{label}" contains control characters that are not allowed',
  },
  singleLine: {
    'zh-CN': '“{label}”只能填写一行',
    en: '"{label}" must be a single line',
  },
  maxLength: {
    'zh-CN': '“{label}”最多 {limit} 个字符（当前 {actual}）',
    en: '"{label}" takes at most {limit} characters (got {actual})',
  },
  minLength: {
    'zh-CN': '“{label}”至少 {limit} 个字符，{value} 太短',
    en: '"{label}" needs at least {limit} characters; {value} is too short',
  },
  pattern: {
    'zh-CN': '“{label}”的值 {value} 格式不符合要求',
    en: '"{label}": {value} does not match the required pattern',
  },
  format: {
    'zh-CN': '“{label}”的值 {value} 不是有效的{format}',
    en: '"{label}": {value} is not a valid {format}',
  },
  checkDigit: {
    'zh-CN': '“{label}”的值 {value} 校验位错误',
    en: '"{label}": {value} has a wrong check digit',
  },
  birthDate: {
    'zh-CN': '“{label}”的值 {value} 中的出生日期无效',
    en: '"{label}": {value} holds an invalid birth date',
  },
  scale: {
    'zh-CN': '“{label}”的值 {value} 最多保留 {scale} 位小数',
    en: '"{label}": {value} has more than {scale} decimals',
  },
  range: {
    'zh-CN': '“{label}”的值 {value} 超出可存储的范围',
    en: '"{label}": {value} is too large to store',
  },
  min: {
    'zh-CN': '“{label}”不能小于 {limit}，当前为 {value}',
    en: '"{label}" must be at least {limit}; got {value}',
  },
  max: {
    'zh-CN': '“{label}”不能大于 {limit}，当前为 {value}',
    en: '"{label}" must be at most {limit}; got {value}',
  },
  options: {
    'zh-CN': '“{label}”的值 {value} 不在可选项中',
    en: '"{label}": {value} is not one of the options',
  },
  minItems: {
    'zh-CN': '“{label}”至少选择 {limit} 项',
    en: '"{label}" needs at least {limit} items',
  },
  maxItems: {
    'zh-CN': '“{label}”最多 {limit} 项',
    en: '"{label}" takes at most {limit} items',
  },
  fileSize: {
    'zh-CN': '“{label}”中的文件 {name} 超过 {limit} 字节',
    en: '"{label}": the file {name} is larger than {limit} bytes',
  },
  fileType: {
    'zh-CN': '“{label}”不接受 {mime} 类型的文件 {name}',
    en: '"{label}" does not accept the file {name} of type {mime}',
  },
  notObject: {
    'zh-CN': '记录必须是 JSON 对象',
    en: 'A record must be a JSON object',
  },
} satisfies Record<string, LocalizedText>;

/** A rule with a message. */
export type RecordRule = keyof typeof recordMessages;

const EXPECTED: Record<string, LocalizedText> = {
  text: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  boolean: { 'zh-CN': '是/否', en: 'true or false' },
  date: { 'zh-CN': '日期', en: 'a date' },
  datetime: { 'zh-CN': '日期时间', en: 'a date-time' },
  option: { 'zh-CN': '选项', en: 'an option' },
  options: { 'zh-CN': '选项列表', en: 'a list of options' },
  id: { 'zh-CN': '编号', en: 'an id' },
  ids: { 'zh-CN': '编号列表', en: 'a list of ids' },
  files: { 'zh-CN': '文件列表', en: 'a list of files' },
  rows: { 'zh-CN': '行列表', en: 'a list of rows' },
};

const FORMAT: Record<string, LocalizedText> = {
  mobile: { 'zh-CN': '手机号', en: 'mobile number' },
  email: { 'zh-CN': '邮箱地址', en: 'email address' },
  national_id: { 'zh-CN': '身份证号', en: 'national ID number' },
  bank_account: { 'zh-CN': '银行账号', en: 'bank account number' },
  URL: { 'zh-CN': '网址', en: 'URL' },
  UUID: { 'zh-CN': '编号', en: 'id' },
  file: { 'zh-CN': '文件引用', en: 'file reference' },
  'YYYY-MM-DD': { 'zh-CN': '日期（YYYY-MM-DD）', en: 'date (YYYY-MM-DD)' },
  'ISO 8601': { 'zh-CN': '日期时间（ISO 8601，含时区）', en: 'date-time (ISO 8601 with offset)' },
};

/** Shows an offending value in a message: JSON, at most 60 characters. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isRecordRule(rule: string): rule is RecordRule {
  return Object.hasOwn(recordMessages, rule);
}

/** Renders a rule's message in both languages. */
export function recordMessage(
  rule: string,
  label: LocalizedText,
  value: unknown,
  params: Readonly<Record<string, unknown>> = {},
): LocalizedText {
  const template: LocalizedText = isRecordRule(rule) ? recordMessages[rule] : recordMessages.format;
  const render = (locale: 'zh-CN' | 'en') => {
    const expected = EXPECTED[String(params.expected)]?.[locale] ?? params.expected;
    const format = FORMAT[String(params.format)]?.[locale] ?? params.format;
    return formatText(template[locale], {
      ...params,
      expected,
      format,
      label: label[locale],
      value: showValue(value),
    });
  };
  return { 'zh-CN': render('zh-CN'), en: render('en') };
}
