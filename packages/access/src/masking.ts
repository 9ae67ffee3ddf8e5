/**
 * How a sensitive value is shown to someone without the right to unmask it:
 * `phone` 138****1234, `national-id` 110***********123X, `bank-account` ************1234,
 * `name` 张*丰, `email` l***@example.com, or a custom rule keeping some characters at each end.
 */
export type MaskRule =
  | 'phone'
  | 'national-id'
  | 'bank-account'
  | 'name'
  | 'email'
  | { readonly keepStart: number; readonly keepEnd: number };

/** The list of built-in rule names (for validating metadata). */
export const MASK_RULES = ['phone', 'national-id', 'bank-account', 'name', 'email'] as const;

const STAR = '*';

/** Masks a value by its rule; at least four characters always stay hidden. */
export function maskValue(value: unknown, rule: MaskRule): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, rule));
  const text = String(value);
  const chars = Array.from(text);
  switch (rule) {
    case 'phone':
      return keep(chars, 3, 4);
    case 'national-id':
      return keep(chars, 3, 4);
    case 'bank-account':
      return keep(chars, 0, 4);
    case 'name':
      return maskName(chars);
    case 'email': {
      const at = text.lastIndexOf('@');
      if (at <= 0) return keep(chars, 1, 0);
      return `${keep(Array.from(text.slice(0, at)), 1, 0)}${text.slice(at)}`;
    }
    default:
      return keep(chars, rule.keepStart, rule.keepEnd);
  }
}

/** Characters a mask always hides, however the rule is set. */
const MIN_HIDDEN = 4;

/** Keeps `start` characters at the front and `end` at the back, if at least 4 stay hidden. */
function keep(chars: readonly string[], start: number, end: number): string {
  if (chars.length - start - end < MIN_HIDDEN) {
    // Too short to show that much: show at most the first character.
    return `${chars.length > 1 ? (chars[0] ?? '') : ''}${STAR.repeat(Math.max(3, chars.length - 1))}`;
  }
  const hidden = chars.length - start - end;
  return `${chars.slice(0, start).join('')}${STAR.repeat(hidden)}${chars.slice(chars.length - end).join('')}`;
}

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳小明 → 欧**明; Latin names keep their first letter. */
function maskName(chars: readonly string[]): string {
  if (chars.length <= 1) return STAR;
  if (chars.length === 2) return `${chars[0]}${STAR}`;
  const isCjk = chars.every((c) => /\p{Script=Han}/u.test(c));
  if (!isCjk) return `${chars[0]}${STAR.repeat(chars.length - 1)}`;
  return `${chars[0]}${STAR.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
