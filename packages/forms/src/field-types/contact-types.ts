import { normaliseBankAccount, passesLuhn } from '../cn/bank-account.ts';
import { normaliseCnMobile } from '../cn/mobile-phone.ts';
import { checkNationalId } from '../cn/national-id.ts';
import { readBoolean } from './config-reader.ts';
import { defineFieldType, type Normalised } from './define-field-type.ts';

const MAX_INPUT = 300;

/** Runs `check` on a string input that is not absurdly long; refuses other types. */
function onString(value: unknown, check: (text: string) => Normalised): Normalised {
  if (typeof value !== 'string') return { ok: false, rule: 'type', params: { expected: 'text' } };
  if (value.length > MAX_INPUT)
    return { ok: false, rule: 'maxLength', params: { limit: MAX_INPUT } };
  const trimmed = value.trim();
  return trimmed === '' ? { ok: true, value: null } : check(trimmed);
}

const noConfig = { type: 'object', additionalProperties: false, properties: {} };

/** Mobile phone (mainland China): 11 digits `1[3-9]…`, prefixes and separators stripped. */
export const mobileField = defineFieldType({
  type: 'mobile',
  version: 1,
  label: { 'zh-CN': '手机号', en: 'Mobile phone' },
  configSchema: noConfig,
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required', 'unique'],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', pattern: '^1[3-9]\\d{9}$' }),
  normalise: (value) =>
    onString(value, (text) => {
      const mobile = normaliseCnMobile(text);
      return mobile
        ? { ok: true, value: mobile }
        : { ok: false, rule: 'format', params: { format: 'mobile' } };
    }),
  filterable: true,
  sortable: true,
  encryptable: true,
  ruleType: () => 'text',
});

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Email: a plain address (no display name), domain lower-cased, at most 254 characters. */
export const emailField = defineFieldType({
  type: 'email',
  version: 1,
  label: { 'zh-CN': '邮箱', en: 'Email' },
  configSchema: noConfig,
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required', 'unique'],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', format: 'email', maxLength: 254 }),
  normalise: (value) =>
    onString(value, (text) => {
      if (text.length > 254 || !EMAIL.test(text)) {
        return { ok: false, rule: 'format', params: { format: 'email' } };
      }
      const at = text.lastIndexOf('@');
      return { ok: true, value: `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}` };
    }),
  filterable: true,
  sortable: true,
  encryptable: true,
  ruleType: () => 'text',
});

/** National ID number (PRC, 18 characters, MOD 11-2 check character), `X` upper-cased. */
export const nationalIdField = defineFieldType({
  type: 'national_id',
  version: 1,
  label: { 'zh-CN': '身份证号', en: 'National ID number' },
  configSchema: noConfig,
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required', 'unique'],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', pattern: '^\\d{17}[\\dX]$' }),
  normalise: (value) =>
    onString(value, (text) => {
      const problem = checkNationalId(text);
      return problem === null
        ? { ok: true, value: text.toUpperCase() }
        : {
            ok: false,
            rule: problem === 'format' ? 'format' : problem,
            params: { format: 'national_id' },
          };
    }),
  filterable: true,
  sortable: false,
  encryptable: true,
  ruleType: () => 'text',
});

/** Bank account: 8–32 digits, separators stripped; `luhn: true` adds the card check. */
export const bankAccountField = defineFieldType({
  type: 'bank_account',
  version: 1,
  label: { 'zh-CN': '银行账号', en: 'Bank account' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { luhn: { type: 'boolean' } },
  },
  readConfig: (raw) => ({ luhn: readBoolean(raw, 'luhn', false) }),
  storage: 'column',
  input: true,
  validations: ['required', 'unique'],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', pattern: '^\\d{8,32}$' }),
  normalise: (value, config) =>
    onString(value, (text) => {
      const account = normaliseBankAccount(text);
      if (!account) return { ok: false, rule: 'format', params: { format: 'bank_account' } };
      if (config.luhn && !passesLuhn(account)) return { ok: false, rule: 'checkDigit' };
      return { ok: true, value: account };
    }),
  filterable: true,
  sortable: false,
  encryptable: true,
  ruleType: () => 'text',
});

/** URL: absolute `http:` or `https:` only (no `javascript:`), at most 2,048 characters. */
export const urlField = defineFieldType({
  type: 'url',
  version: 1,
  label: { 'zh-CN': '链接', en: 'URL' },
  configSchema: noConfig,
  readConfig: () => ({}),
  storage: 'column',
  input: true,
  validations: ['required'],
  columnType: () => 'text',
  valueSchema: () => ({ type: 'string', format: 'uri', maxLength: 2048 }),
  normalise: (value) => {
    if (typeof value === 'string' && value.length > 2048) {
      return { ok: false, rule: 'maxLength', params: { limit: 2048 } };
    }
    if (typeof value !== 'string') return { ok: false, rule: 'type', params: { expected: 'text' } };
    const trimmed = value.trim();
    if (trimmed === '') return { ok: true, value: null };
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return { ok: false, rule: 'format', params: { format: 'URL' } };
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(trimmed)) {
      return { ok: false, rule: 'format', params: { format: 'URL' } };
    }
    return { ok: true, value: url.href };
  },
  filterable: true,
  sortable: false,
  ruleType: () => 'text',
});
