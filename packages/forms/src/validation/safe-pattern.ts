/** The longest `pattern` validation a field may declare. */
export const MAX_PATTERN_LENGTH = 200;

/** Why a pattern is refused, or null when it may be used. */
export type PatternProblem = 'length' | 'syntax' | 'backreference' | 'nestedQuantifier';

/**
 * Refuses regular expressions that could backtrack catastrophically on hostile input (ReDoS):
 * over 200 characters, back-references, and a quantified group that itself contains a
 * quantifier or an alternation — `(a+)+`, `(a|aa)*`, `(\w+\s?)*` — the shapes of exponential
 * backtracking (star height above one). Conservative: a few harmless patterns are refused too.
 * Patterns are compiled with the `u` flag, so the browser and the server read them alike.
 */
export function checkPattern(pattern: string): PatternProblem | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return 'length';
  try {
    new RegExp(pattern, 'u');
  } catch {
    return 'syntax';
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreference';
  // Per open group: does its body hold a quantifier or an alternation?
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i];
    if (char === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') stack.push(false);
    else if (char === '|') markTop(stack);
    else if (isQuantifierAt(pattern, i)) markTop(stack);
    else if (char === ')') {
      const risky = stack.pop() ?? false;
      if (isQuantifierAt(pattern, i + 1) && risky && isUnbounded(pattern, i + 1)) {
        return 'nestedQuantifier';
      }
      // A group with a quantifier inside makes its enclosing group risky too.
      if (risky || isQuantifierAt(pattern, i + 1)) markTop(stack);
    }
  }
  return null;
}

function markTop(stack: boolean[]): void {
  if (stack.length > 0) stack[stack.length - 1] = true;
}

function isQuantifierAt(pattern: string, index: number): boolean {
  const char = pattern[index];
  if (char === '*' || char === '+') return true;
  if (char === '?') return pattern[index - 1] !== '(';
  return char === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(index));
}

/** `*`, `+`, `{n,}` and `{n,m}` with m > 1 repeat; `?` and `{0,1}` do not blow up. */
function isUnbounded(pattern: string, index: number): boolean {
  const char = pattern[index];
  if (char === '*' || char === '+') return true;
  const range = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index));
  if (!range) return false;
  if (range[2] === undefined) return Number(range[1]) > 1;
  return range[3] === '' || Number(range[3]) > 1;
}
