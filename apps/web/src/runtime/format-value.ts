import type { Locale } from '@joinery/shared';
import { fieldOptions, localized, type RuntimeField } from './field-model.ts';

const CURRENCY_SYMBOL: Readonly<Record<string, string>> = {
  CNY: '¥',
  USD: '$',
  EUR: '€',
  HKD: 'HK$',
};

/** Groups the integer part of a decimal string by thousands, without going through a float. */
export function groupDecimal(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '', fraction] = (negative ? value.slice(1) : value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A UTC ISO date-time shown in the browser's time zone, `YYYY-MM-DD HH:mm`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A file reference's name, as file fields store them. */
function fileNames(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value
    .map((file: unknown) =>
      typeof file === 'object' && file !== null && 'name' in file ? String(file.name) : '',
    )
    .filter(Boolean)
    .join(', ');
}

/** Names to show for ids (users, departments, related records), when the page knows them. */
export type NameOf = (field: RuntimeField, id: string) => string | undefined;

/**
 * A stored value as text for lists and the record page: money grouped with its currency,
 * percents with `%`, options by their label, booleans as ✓/✗, date-times in local time.
 * Masked values arrive as the server masked them and are shown as they are.
 */
export function formatValue(
  field: RuntimeField,
  value: unknown,
  locale: Locale,
  nameOf?: NameOf,
): string {
  if (value === null || value === undefined || value === '') return '';
  const config = field.definition.config ?? {};
  // A formula shows as the type it results in (money with its currency, a percent with %…).
  if (
    field.type === 'formula' &&
    typeof config.resultType === 'string' &&
    config.resultType !== 'formula'
  ) {
    const shown: RuntimeField = { ...field, type: config.resultType };
    return formatValue(shown, value, locale, nameOf);
  }
  switch (field.type) {
    case 'money': {
      const currency = typeof config.currency === 'string' ? config.currency : 'CNY';
      return `${CURRENCY_SYMBOL[currency] ?? `${currency} `}${groupDecimal(String(value))}`;
    }
    case 'percent':
      return `${String(value)}%`;
    case 'number':
      return typeof value === 'number' ? groupDecimal(String(value)) : String(value);
    case 'select': {
      const option = fieldOptions(field.definition).find((o) => o.value === value);
      return option ? localized(option.label, locale) : String(value);
    }
    case 'multiselect':
      return Array.isArray(value)
        ? value
            .map((item) => {
              const option = fieldOptions(field.definition).find((o) => o.value === item);
              return option ? localized(option.label, locale) : String(item);
            })
            .join('、')
        : String(value);
    case 'checkbox':
      return value === true ? '✓' : '✗';
    case 'datetime':
      return typeof value === 'string' ? formatDateTime(value) : String(value);
    case 'attachment':
    case 'image':
      return fileNames(value);
    case 'subform':
      return Array.isArray(value) ? `[${value.length}]` : '';
    case 'user':
    case 'department':
    case 'relation': {
      const ids = Array.isArray(value) ? value.map(String) : [String(value)];
      return ids.map((id) => nameOf?.(field, id) ?? id.slice(0, 8)).join(', ');
    }
    default:
      if (typeof value === 'object') {
        const formula = field.type === 'formula' || field.type === 'lookup';
        return formula && Array.isArray(value) ? value.join(', ') : JSON.stringify(value);
      }
      if (field.type === 'rollup' && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) {
        return groupDecimal(value);
      }
      return String(value);
  }
}
