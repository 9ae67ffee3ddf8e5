/**
 * The safety limits of the rule engine. Expressions come from analysts, not from code we trust,
 * so every dimension of work is bounded: a limit hit is a catalogue error, never a hang.
 */
export const RULE_LIMITS = Object.freeze({
  /** Deepest nesting of operations and arrays, checked at compile time. */
  maxDepth: 64,
  /** Most nodes (operations, arrays and literals) in one expression, checked at compile time. */
  maxNodes: 5_000,
  /**
   * Most elementary steps per evaluation: each item visited by map/filter/reduce/all/none/some,
   * each row read by the subform aggregates and each element copied by `merge`.
   */
  maxSteps: 200_000,
  /** Longest array an evaluation may build (map, filter, merge). */
  maxArrayLength: 100_000,
  /** Longest string an evaluation may build (`cat`, `substr`, string helpers). */
  maxStringLength: 1_000_000,
  /** Longest regular expression pattern accepted by `regex_match`. */
  maxPatternLength: 256,
  /** Longest text `regex_match` will look at; longer texts do not match. */
  maxRegexInput: 10_000,
});
