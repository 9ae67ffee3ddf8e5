import { JoineryError } from '@joinery/shared';
import { RULE_LIMITS } from './limits.ts';

/**
 * Regular expressions without runaway: a pattern is parsed into a small program and run by a
 * Pike VM (Thompson's construction), whose time is linear in the text for every pattern, so
 * `(a+)+$`-style catastrophic backtracking cannot happen. The syntax is a safe subset of
 * JavaScript's: literals, `.`, classes `[a-z]`, `\d \w \s` (and negations), `^ $`, groups,
 * `|`, and the quantifiers `* + ? {n} {n,} {n,m}` (counts up to 100, lazy forms allowed).
 * Back-references, look-around, `\b` and named groups are refused at compile time.
 */
export interface SafePattern {
  /** True when the pattern matches anywhere in `text` (like `RegExp.prototype.test`). */
  test(text: string): boolean;
}

type CharTest = (code: number) => boolean;
type Node =
  | { kind: 'char'; test: CharTest }
  | { kind: 'start' | 'end' }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

type Instruction =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; a: number; b: number }
  | { op: 'jump'; to: number }
  | { op: 'start' | 'end' | 'match' };

const MAX_COUNT = 100;
const MAX_PROGRAM = 5_000;

function refuse(reason: string, path: string): never {
  throw new JoineryError('JNY_RULE_UNSAFE_PATTERN', { reason, path });
}

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) =>
  isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharTest = (c) => /\s/.test(String.fromCharCode(c));
const isLineEnd: CharTest = (c) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

class Parser {
  private index = 0;
  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
    private readonly path: string,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.index < this.source.length) refuse(`unexpected ${this.peek()}`, this.path);
    return node;
  }

  private peek(): string {
    return this.source[this.index] ?? '';
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.index += 1;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.index < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { kind: 'seq', items };
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.index += 1;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.source.slice(this.index))) {
      const [whole = '', low = '', high] =
        /^\{(\d+)(?:,(\d*))?\}/.exec(this.source.slice(this.index)) ?? [];
      this.index += whole.length;
      min = Number(low);
      max = high === undefined ? min : high === '' ? Infinity : Number(high);
      if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT) || max < min) {
        refuse(`repetition counts must be 0–${MAX_COUNT}`, this.path);
      }
    } else {
      return node;
    }
    if (node.kind === 'start' || node.kind === 'end') refuse('an anchor cannot repeat', this.path);
    if (this.peek() === '?') this.index += 1;
    if ('*+?{'.includes(this.peek()) && this.peek() !== '') refuse('nested quantifier', this.path);
    return { kind: 'repeat', node, min, max };
  }

  private atom(): Node {
    const c = this.peek();
    this.index += 1;
    switch (c) {
      case '(': {
        if (this.peek() === '?') {
          if (this.source[this.index + 1] !== ':') refuse('look-around or named group', this.path);
          this.index += 2;
        }
        const inner = this.alternation();
        if (this.peek() !== ')') refuse('unclosed group', this.path);
        this.index += 1;
        return inner;
      }
      case '[':
        return { kind: 'char', test: this.characterClass() };
      case '.':
        return { kind: 'char', test: (code) => !isLineEnd(code) };
      case '^':
        return { kind: 'start' };
      case '$':
        return { kind: 'end' };
      case '\\':
        return { kind: 'char', test: this.escape() };
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ')':
      case ']':
        return refuse(`unexpected ${c}`, this.path);
      default:
        return { kind: 'char', test: this.literal(c.charCodeAt(0)) };
    }
  }

  private literal(code: number): CharTest {
    if (!this.ignoreCase) return (x) => x === code;
    const lower = String.fromCharCode(code).toLowerCase();
    return (x) => String.fromCharCode(x).toLowerCase() === lower;
  }

  private escape(): CharTest {
    const c = this.peek();
    this.index += 1;
    switch (c) {
      case 'd':
        return isDigit;
      case 'D':
        return (x) => !isDigit(x);
      case 'w':
        return isWord;
      case 'W':
        return (x) => !isWord(x);
      case 's':
        return isSpace;
      case 'S':
        return (x) => !isSpace(x);
      case 'n':
        return this.literal(10);
      case 'r':
        return this.literal(13);
      case 't':
        return this.literal(9);
      case '':
        return refuse('trailing backslash', this.path);
      default:
        if (/[A-Za-z0-9]/.test(c)) {
          return refuse(`escape \\${c} is not supported`, this.path);
        }
        return this.literal(c.charCodeAt(0));
    }
  }

  private characterClass(): CharTest {
    const negated = this.peek() === '^';
    if (negated) this.index += 1;
    const tests: CharTest[] = [];
    while (this.peek() !== ']') {
      if (this.index >= this.source.length) refuse('unclosed character class', this.path);
      const low = this.classAtom();
      if (this.peek() === '-' && this.source[this.index + 1] !== ']' && low.code !== null) {
        this.index += 1;
        const high = this.classAtom();
        if (high.code === null || high.code < low.code) refuse('bad range in class', this.path);
        tests.push(this.range(low.code, high.code));
      } else {
        tests.push(low.test);
      }
    }
    this.index += 1;
    return (x) => tests.some((test) => test(x)) !== negated;
  }

  private classAtom(): { code: number | null; test: CharTest } {
    const c = this.peek();
    this.index += 1;
    if (c !== '\\') return { code: c.charCodeAt(0), test: this.literal(c.charCodeAt(0)) };
    const next = this.peek();
    const test = this.escape();
    const simple =
      { n: 10, r: 13, t: 9 }[next] ?? (/[A-Za-z0-9]/.test(next) ? null : next.charCodeAt(0));
    return { code: simple, test };
  }

  private range(low: number, high: number): CharTest {
    if (!this.ignoreCase) return (x) => x >= low && x <= high;
    return (x) => {
      const lower = String.fromCharCode(x).toLowerCase().charCodeAt(0);
      const upper = String.fromCharCode(x).toUpperCase().charCodeAt(0);
      return (lower >= low && lower <= high) || (upper >= low && upper <= high);
    };
  }
}

/** Emits the program of a node (Thompson's construction, counted repeats unrolled). */
function emit(node: Node, program: Instruction[], path: string): void {
  if (program.length > MAX_PROGRAM) refuse('the pattern expands too much', path);
  switch (node.kind) {
    case 'char':
      program.push({ op: 'char', test: node.test });
      return;
    case 'start':
    case 'end':
      program.push({ op: node.kind });
      return;
    case 'seq':
      for (const item of node.items) emit(item, program, path);
      return;
    case 'alt': {
      const jumps: { op: 'jump'; to: number }[] = [];
      node.options.forEach((option, index) => {
        if (index < node.options.length - 1) {
          const split = { op: 'split' as const, a: program.length + 1, b: 0 };
          program.push(split);
          emit(option, program, path);
          const jump = { op: 'jump' as const, to: 0 };
          jumps.push(jump);
          program.push(jump);
          split.b = program.length;
        } else {
          emit(option, program, path);
        }
      });
      for (const jump of jumps) jump.to = program.length;
      return;
    }
    case 'repeat': {
      for (let count = 0; count < node.min; count += 1) emit(node.node, program, path);
      if (node.max === Infinity) {
        const split = { op: 'split' as const, a: program.length + 1, b: 0 };
        const loop = program.length;
        program.push(split);
        emit(node.node, program, path);
        program.push({ op: 'jump', to: loop });
        split.b = program.length;
        return;
      }
      const splits: { op: 'split'; a: number; b: number }[] = [];
      for (let count = node.min; count < node.max; count += 1) {
        const split = { op: 'split' as const, a: program.length + 1, b: 0 };
        splits.push(split);
        program.push(split);
        emit(node.node, program, path);
      }
      for (const split of splits) split.b = program.length;
      return;
    }
  }
}

/**
 * Compiles a pattern of the safe subset (flags: only `i`). Throws `JNY_RULE_UNSAFE_PATTERN`
 * naming `path` for anything outside it.
 */
export function compileSafePattern(source: string, flags: string, path: string): SafePattern {
  if (source.length > RULE_LIMITS.maxPatternLength) {
    refuse(`longer than ${RULE_LIMITS.maxPatternLength} characters`, path);
  }
  if (!/^i?$/.test(flags)) refuse(`flags "${flags}" (only "i" is allowed)`, path);
  const program: Instruction[] = [];
  emit(new Parser(source, flags === 'i', path).parse(), program, path);
  program.push({ op: 'match' });
  return { test: (text) => run(program, text) };
}

/** Runs the program over the text: every thread advances in lock-step, one character at a time. */
function run(program: readonly Instruction[], text: string): boolean {
  let current: number[] = [];
  let next: number[] = [];
  const seen = new Int32Array(program.length).fill(-1);
  let generation = 0;
  const add = (list: number[], pc: number, position: number): boolean => {
    if (seen[pc] === generation) return false;
    seen[pc] = generation;
    const instruction = program[pc] as Instruction;
    switch (instruction.op) {
      case 'jump':
        return add(list, instruction.to, position);
      case 'split':
        return add(list, instruction.a, position) || add(list, instruction.b, position);
      case 'start':
        return position === 0 ? add(list, pc + 1, position) : false;
      case 'end':
        return position === text.length ? add(list, pc + 1, position) : false;
      case 'match':
        return true;
      case 'char':
        list.push(pc);
        return false;
    }
  };
  for (let position = 0; position <= text.length; position += 1) {
    if (add(current, 0, position)) return true;
    if (position === text.length) return false;
    generation += 1;
    const code = text.charCodeAt(position);
    for (const pc of current) {
      const instruction = program[pc] as Instruction;
      if (instruction.op === 'char' && instruction.test(code) && add(next, pc + 1, position + 1)) {
        return true;
      }
    }
    [current, next] = [next, []];
  }
  return false;
}
