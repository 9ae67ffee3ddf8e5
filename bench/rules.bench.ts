// Benchmark `rules`: Joinery's compiled JSON-logic against json-logic-js (the baseline, an
// interpreter) and json-logic-engine's compiled `build()` (a compiling peer), same inputs, same
// run. Workloads: the official jsonlogic.com test corpus and lending-CRM rules over generated
// borrowers. Run with `node bench/run.mjs rules`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { compileLogic } from '../packages/rules/src/index.ts';
import { HOT_AFTER_CALLS } from '../packages/rules/src/tiered-logic.ts';

// The peers are dev dependencies of @joinery/rules; resolve them from there.
const require = createRequire(new URL('../packages/rules/package.json', import.meta.url));
const jsonLogic = require('json-logic-js') as { apply(logic: unknown, data: unknown): unknown };
const { LogicEngine } = require('json-logic-engine') as {
  LogicEngine: new () => { build(logic: unknown): (data: unknown) => unknown };
};

type Evaluate = (data: unknown) => unknown;
interface Case {
  readonly logic: unknown;
  readonly data: unknown;
}

// --- workloads -------------------------------------------------------------------------------
const corpusFile = new URL('../packages/rules/test-data/jsonlogic-tests.json', import.meta.url);
const corpus = (JSON.parse(readFileSync(corpusFile, 'utf8')) as unknown[])
  .filter((entry): entry is [unknown, unknown, unknown] => Array.isArray(entry))
  .map(([logic, data]) => ({ logic, data }));

const lendingRules: Record<string, unknown> = {
  grade: {
    if: [
      { and: [{ '>=': [{ var: 'income' }, 20000] }, { '>=': [{ var: 'credit_score' }, 720] }] },
      'A',
      { and: [{ '>=': [{ var: 'income' }, 10000] }, { '>=': [{ var: 'credit_score' }, 650] }] },
      'B',
      { '>=': [{ var: 'credit_score' }, 580] },
      'C',
      'D',
    ],
  },
  dti: { '>': [{ '/': [{ var: 'monthly_debt' }, { var: 'monthly_income' }] }, 0.5] },
  approvable: {
    and: [{ '<=': [{ var: 'amount' }, 50000] }, { in: [{ var: 'grade' }, ['A', 'B']] }],
  },
  guarantor: { '>': [{ var: 'amount' }, 200000] },
  scheduleTotal: {
    reduce: [{ var: 'schedule' }, { '+': [{ var: 'accumulator' }, { var: 'current.amount' }] }, 0],
  },
  scheduleCovers: {
    '>=': [
      {
        reduce: [
          { var: 'schedule' },
          { '+': [{ var: 'accumulator' }, { var: 'current.amount' }] },
          0,
        ],
      },
      { var: 'amount' },
    ],
  },
  complete: {
    and: [
      { '!': { missing: ['name', 'id_number', 'phone'] } },
      { '<': [18, { var: 'age' }, 65] },
      { '==': [{ var: 'applicant.city' }, 'Shanghai'] },
    ],
  },
};

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const borrowers = Array.from({ length: 100 }, (_, index) => {
  const amount = Math.round(random() * 300_000);
  return {
    name: `borrower ${index}`,
    id_number: index % 7 === 0 ? '' : `1101051949123100${index % 10}X`,
    phone: '13800000000',
    age: 18 + Math.floor(random() * 50),
    income: Math.round(random() * 40_000),
    credit_score: 500 + Math.floor(random() * 350),
    monthly_income: 1_000 + Math.round(random() * 30_000),
    monthly_debt: Math.round(random() * 15_000),
    amount,
    grade: 'ABCD'[index % 4],
    applicant: { city: index % 3 === 0 ? 'Shanghai' : 'Beijing' },
    schedule: Array.from({ length: 12 }, () => ({ amount: Math.round((amount / 12) * 100) / 100 })),
  };
});
const lending: Case[] = Object.values(lendingRules).flatMap((logic) =>
  borrowers.map((data) => ({ logic, data })),
);

// --- engines ---------------------------------------------------------------------------------
const engine = new LogicEngine();
interface Engine {
  readonly name: string;
  prepare(logic: unknown): Evaluate;
}
const engines: Engine[] = [
  { name: 'json-logic-js', prepare: (logic) => (data) => jsonLogic.apply(logic, data) },
  { name: 'json-logic-engine', prepare: (logic) => engine.build(logic) },
  // The default server backend (tiered: hot after HOT_AFTER_CALLS calls, which the warm-up makes),
  // and the closures alone — what a rule runs before it is hot, and a browser under a strict CSP.
  { name: 'joinery', prepare: (logic) => compileLogic(logic) },
  { name: 'joinery closures', prepare: (logic) => compileLogic(logic, { backend: 'closures' }) },
];

/** Cases every engine can run (json-logic-engine refuses or differs on a few corpus edges). */
function runnable(cases: readonly Case[]): Case[] {
  return cases.filter((item) => {
    try {
      const fns = engines.map((e) => e.prepare(item.logic));
      for (const fn of fns) fn(item.data);
      return true;
    } catch {
      return false;
    }
  });
}

/** Each distinct rule is prepared (compiled) once per engine, then run on all its inputs. */
function prepared(cases: readonly Case[], e: Engine): [Evaluate, unknown][] {
  const cache = new Map<unknown, Evaluate>();
  return cases.map((item) => {
    let evaluate = cache.get(item.logic);
    if (!evaluate) {
      evaluate = e.prepare(item.logic);
      cache.set(item.logic, evaluate);
    }
    return [evaluate, item.data];
  });
}

/** Nanoseconds for `passes` passes over the cases; sums truthy results so nothing is skipped. */
function time(pairs: readonly [Evaluate, unknown][], passes: number): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let pass = 0; pass < passes; pass += 1) {
    for (const [evaluate, data] of pairs) if (evaluate(data)) sink += 1;
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink);
  return elapsed;
}

interface Result {
  readonly evaluations: number;
  readonly ns: Map<string, number>;
}

/** Interleaved rounds (engine order rotates), after a warm-up; keeps each engine's best round. */
function measure(label: string, cases: readonly Case[], passes: number, rounds = 15): Result {
  const pairsOf = new Map(engines.map((e) => [e.name, prepared(cases, e)] as const));
  // The warm-up calls every rule at least HOT_AFTER_CALLS times: Joinery's rules are all hot.
  const warmUp = Math.max(Math.floor(passes / 2), HOT_AFTER_CALLS);
  for (const pairs of pairsOf.values()) time(pairs, warmUp);
  const best = new Map<string, number>();
  for (let round = 0; round < rounds; round += 1) {
    for (let offset = 0; offset < engines.length; offset += 1) {
      const e = engines[(round + offset) % engines.length] as Engine;
      const ns = time(pairsOf.get(e.name) ?? [], passes);
      best.set(e.name, Math.min(best.get(e.name) ?? Number.POSITIVE_INFINITY, ns));
    }
  }
  const evaluations = cases.length * passes;
  console.log(`\n${label}: ${cases.length} cases × ${passes} passes, best of ${rounds} rounds`);
  for (const e of engines) {
    const ns = best.get(e.name) ?? 0;
    const opsPerSecond = (evaluations / ns) * 1e9;
    console.log(
      `  ${e.name.padEnd(18)} ${Math.round(opsPerSecond).toLocaleString('en').padStart(13)} ops/s`,
    );
  }
  const joinery = best.get('joinery') ?? 0;
  console.log(
    `  joinery vs json-logic-js: ${((best.get('json-logic-js') ?? 0) / joinery).toFixed(1)}× faster; ` +
      `vs json-logic-engine: ${((best.get('json-logic-engine') ?? 0) / joinery).toFixed(2)}× ` +
      '(>1 means joinery is faster)',
  );
  return { evaluations, ns: best };
}

// --- run -------------------------------------------------------------------------------------
const corpusCases = runnable(corpus);
const lendingCases = runnable(lending);
console.log(
  `rules benchmark — node ${process.version}, ${corpus.length} corpus cases (${corpusCases.length} run by every engine), ${Object.keys(lendingRules).length} lending rules × ${borrowers.length} borrowers`,
);
// Compile time, each rule compiled fresh. What a caller pays at compileLogic(): `auto` (the
// server default, tiered: the closures plus a switch) and `closures` (a browser under a strict
// CSP); `generated` is the former default, which builds the function up front (each build's
// source is numbered, so V8 compiles every one afresh: no compilation cache between builds).
const corpusRules = [...new Map(corpusCases.map((item) => [item.logic, item.data])).entries()];
const lendingPairs = Object.values(lendingRules).map((logic) => [logic, borrowers[0]] as const);
const rulePairs = [...corpusRules, ...lendingPairs];
type Backend = 'auto' | 'closures' | 'generated';
/** Mean µs per compile, best of 5 rounds (each round compiles fresh copies of every rule). */
function compileMicros(pairs: readonly (readonly [unknown, unknown])[], backend: Backend): number {
  const list = pairs.map(([logic]) => logic);
  for (let index = 0; index < 20; index += 1)
    for (const logic of list) compileLogic(logic, { backend });
  const repeats = 20;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round += 1) {
    const copies = Array.from({ length: repeats }, () => structuredClone(list));
    const start = process.hrtime.bigint();
    for (const copy of copies) for (const logic of copy) compileLogic(logic, { backend });
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return best / 1e3 / (repeats * list.length);
}

/**
 * The one-time cost of a rule turning hot: the HOT_AFTER_CALLS-th call of a fresh tiered rule,
 * which builds the generated function (`new Function`, V8 compiling it) and runs it once.
 * `[first, again]`: the first switch of each rule in the process, and the mean of later ones
 * (each build's source is unique, so `again` is not served from V8's compilation cache; it is
 * the switch once V8's parser and compiler are warm).
 */
function hotSwitchMicros(pairs: readonly (readonly [unknown, unknown])[]): [number, number] {
  const repeats = 30;
  let first = 0;
  let again = 0;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const [logic, data] of structuredClone(pairs)) {
      const evaluate = compileLogic(logic);
      for (let call = 1; call < HOT_AFTER_CALLS; call += 1) evaluate(data);
      const start = process.hrtime.bigint();
      evaluate(data);
      const elapsed = Number(process.hrtime.bigint() - start);
      if (repeat === 0) first += elapsed;
      else again += elapsed;
    }
  }
  return [first / 1e3 / pairs.length, again / 1e3 / ((repeats - 1) * pairs.length)];
}

// Before anything else builds these rules' functions, so that "first time" is one.
const [corpusFirst, corpusAgain] = hotSwitchMicros(corpusRules);
const [lendingFirst, lendingAgain] = hotSwitchMicros(lendingPairs);
console.log(
  `\none-time switch of a rule turning hot (call ${HOT_AFTER_CALLS}), first time / again: ` +
    `corpus ${corpusFirst.toFixed(1)} / ${corpusAgain.toFixed(1)} µs, ` +
    `lending ${lendingFirst.toFixed(1)} / ${lendingAgain.toFixed(1)} µs`,
);
const figures = (pairs: readonly (readonly [unknown, unknown])[]) =>
  (['auto', 'closures', 'generated'] as const)
    .map((backend) => `${backend} ${compileMicros(pairs, backend).toFixed(1)} µs`)
    .join(', ');
console.log(
  `compile time per rule, paid at compileLogic() (goal < 100 µs; auto = server default):\n` +
    `  corpus + lending: ${figures(rulePairs)}\n  lending:          ${figures(lendingPairs)}`,
);
const results = [
  measure('official corpus', corpusCases, 400),
  measure('lending CRM rules', lendingCases, 200),
];

const perCall = (name: string) => {
  const result = results[1] as Result;
  return (result.ns.get(name) ?? 0) / result.evaluations / 1e3;
};
const saving = perCall('joinery closures') - perCall('joinery');
console.log(
  `lending: closures ${(perCall('joinery closures') * 1e3).toFixed(0)} ns/call, hot ${(perCall('joinery') * 1e3).toFixed(0)} ns/call; ` +
    `the switch pays for itself after ${saving > 0 ? Math.round(lendingFirst / saving) : '∞'} calls`,
);

const total = (name: string) =>
  results.reduce((sum, result) => sum + (result.ns.get(name) ?? 0), 0);
const ratio = total('joinery') / total('json-logic-js');
const engineRatio = total('joinery') / total('json-logic-engine');
console.log(
  `all workloads: joinery/json-logic-engine time = ${engineRatio.toFixed(3)} (goal <= 1)`,
);
console.log(`rules: joinery/baseline = ${ratio.toFixed(3)} (goal <= 0.067)`);
