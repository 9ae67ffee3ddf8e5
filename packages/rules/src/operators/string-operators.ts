import { JoineryError } from '@joinery/shared';
import { argumentAt, type CompiledArgument, defineOperator, eager } from '../define-operator.ts';
import type { Evaluator } from '../evaluator.ts';
import { RULE_LIMITS } from '../limits.ts';
import { compileSafePattern } from '../safe-pattern.ts';

/** Text of a value for the string helpers: null/undefined stay null, the rest via `String`. */
function textOf(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function unary(name: string, zh: string, en: string, apply: (text: string) => unknown) {
  return defineOperator({
    name,
    version: 1,
    arity: [1, 1],
    pure: true,
    doc: { 'zh-CN': zh, en },
    compile: eager((value) => {
      const text = textOf(value);
      return text === null ? null : apply(text);
    }),
  });
}

function predicate(
  name: string,
  zh: string,
  en: string,
  test: (text: string, part: string) => boolean,
) {
  return defineOperator({
    name,
    version: 1,
    arity: [2, 2],
    pure: true,
    doc: { 'zh-CN': zh, en },
    compile: eager((value, part) => {
      const text = textOf(value);
      const search = textOf(part);
      return text !== null && search !== null && test(text, search);
    }),
  });
}

/**
 * `regex_match`: [text, pattern, flags?]. The pattern and flags must be literal strings, checked
 * and compiled once (safe subset, linear time — see `compileSafePattern`); a text longer than
 * `RULE_LIMITS.maxRegexInput` is refused at evaluation.
 */
function compileRegexMatch(
  args: readonly CompiledArgument[],
  path: (index: number) => string,
): Evaluator {
  const pattern = args[1];
  const flags = args[2];
  if (!pattern?.constant || typeof pattern.value !== 'string') {
    throw new JoineryError('JNY_RULE_UNSAFE_PATTERN', {
      reason: 'the pattern must be a literal string',
      path: path(1),
    });
  }
  if (flags && (!flags.constant || typeof flags.value !== 'string')) {
    throw new JoineryError('JNY_RULE_UNSAFE_PATTERN', {
      reason: 'the flags must be a literal string',
      path: path(2),
    });
  }
  const matcher = compileSafePattern(
    pattern.value,
    (flags?.value as string | undefined) ?? '',
    path(1),
  );
  const text = argumentAt(args, 0);
  return (data, env) => {
    const value = textOf(text(data, env));
    if (value === null) return false;
    if (value.length > RULE_LIMITS.maxRegexInput) {
      throw new JoineryError('JNY_RULE_VALUE_TOO_LARGE', {
        kind: 'regex input',
        limit: RULE_LIMITS.maxRegexInput,
      });
    }
    return matcher.test(value);
  };
}

/** Joinery's string helpers. Null inputs give null (transformations) or false (tests). */
export const stringOperators = [
  unary('lower', '转小写', 'Lower case', (text) => text.toLowerCase()),
  unary('upper', '转大写', 'Upper case', (text) => text.toUpperCase()),
  unary('trim', '去掉首尾空白', 'Strips leading and trailing white space', (text) => text.trim()),
  defineOperator({
    name: 'length',
    version: 1,
    arity: [1, 1],
    pure: true,
    doc: {
      'zh-CN': '字符串或数组的长度（null 为 0）',
      en: 'Length of a string or array (null is 0)',
    },
    compile: eager((value) => (Array.isArray(value) ? value.length : (textOf(value) ?? '').length)),
  }),
  predicate('starts_with', '是否以…开头', 'Starts with', (text, part) => text.startsWith(part)),
  predicate('ends_with', '是否以…结尾', 'Ends with', (text, part) => text.endsWith(part)),
  predicate('contains', '是否包含子串', 'Contains the substring', (text, part) =>
    text.includes(part),
  ),
  defineOperator({
    name: 'regex_match',
    version: 1,
    arity: [2, 3],
    pure: true,
    doc: {
      'zh-CN': '正则匹配（安全子集，线性时间；模式须为字面量）',
      en: 'Regular expression test (safe subset, linear time; literal pattern)',
    },
    compile: (args, site) => compileRegexMatch(args, site.argumentPath),
  }),
];
