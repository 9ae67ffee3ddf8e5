import { createTestDatabase, type TestDatabase } from '@joinery/postgres';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FieldDefinition,
  type FormDefinition,
  planPublish,
  validateFormDefinition,
} from '../src/index.ts';
import { applyPlan } from './apply-plan.ts';
import {
  conversionSupported,
  convertModel,
  MODEL_TYPES,
  type ModelType,
  SELECT_OPTIONS,
} from './column-model.ts';

/*
 * Property: publishing any sequence of form changes over a table with data keeps every value
 * — renamed, reordered, hidden, converted (to exactly what the model of Postgres's casts says)
 * — except the columns explicitly purged; and a type change is refused exactly when the model
 * finds a value that would not convert (or no cast exists). Runs against a real Postgres.
 */

interface ModelField {
  readonly id: string;
  readonly key: string;
  readonly type: ModelType;
  readonly deleted: boolean;
}

type Cell = string | null;

interface Model {
  version: number;
  fields: ModelField[];
  /** Shown values by row, by field id. */
  rows: Map<string, Map<string, Cell>>;
  nextId: number;
}

const ROWS = 5;

/** What the runs exercised, so the test cannot pass vacuously. */
const tally = { converted: 0, refusedValues: 0, refusedCast: 0, renamed: 0, purged: 0 };

const valuesOf: Record<ModelType, fc.Arbitrary<Cell>> = {
  text: fc.constantFrom(
    'abc',
    ' 12.50 ',
    '7',
    '-0',
    '0007.10',
    'true',
    ' FALSE ',
    '2024-02-29',
    '2023-02-29',
    'a',
    'c',
    '',
    '1e5',
    '99999999999999999',
    'x\ny',
    '0.1234567',
    "'; drop table t; --",
    ' A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11 ',
    null,
  ),
  number: fc.oneof(
    fc
      .tuple(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 3 }))
      .map(([n, scale]) =>
        String(Number(n) / 10 ** scale === 0 ? 0 : Number((n / 10 ** scale).toFixed(scale))),
      ),
    fc.constant(null),
  ),
  money: fc.oneof(
    fc.integer({ min: -100_000_000, max: 100_000_000 }).map((n) => (n / 100).toFixed(2)),
    fc.constant(null),
  ),
  percent: fc.constantFrom('12.5000', '-0.0100', '99999.9999', '0.0000', null),
  checkbox: fc.constantFrom('true', 'false', null),
  datetime: fc.constantFrom(
    '2026-11-22 00:00:00+00',
    '2026-11-22 08:30:00+00',
    '2024-02-29 00:00:00.123+00',
    null,
  ),
  multiselect: fc.constantFrom('{a}', '{a,c}', '{b}', null),
  user: fc.constantFrom('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', null),
  date: fc.constantFrom('2024-02-29', '1999-12-31', '2026-11-22', null),
  select: fc.constantFrom(...SELECT_OPTIONS, null),
};

/**
 * Text columns whose values mostly share a shape, so conversions out of text succeed often
 * enough to be tested, not only refused.
 */
const TEXT_THEMES: readonly fc.Arbitrary<Cell>[] = [
  fc.constantFrom(' 12.50 ', '7', '-0', '0007.10', '-3.2', null),
  fc.constantFrom('2024-02-29', ' 1999-12-31 ', null),
  fc.constantFrom('true', ' FALSE ', null),
  fc.constantFrom('a', 'b', 'c', null),
  fc.constantFrom('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', null),
];

type Command =
  | { op: 'add'; type: ModelType; values: Cell[] }
  | { op: 'rename'; pick: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'reorder'; seed: number }
  | { op: 'retype'; pick: number; type: ModelType; castable: boolean; rename: 0 | 1 | 2 }
  | { op: 'delete'; pick: number }
  | { op: 'restore'; pick: number }
  | { op: 'purge'; pick: number };

const typeArb = fc.constantFrom(...MODEL_TYPES);
/** Mostly towards a type Postgres can cast to, so conversions run and are not only refused. */
const retype = fc
  .tuple(
    fc.nat(),
    typeArb,
    fc.nat({ max: 4 }),
    fc.constantFrom(0, 0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
  )
  .map(
    ([pick, type, odds, rename]): Command => ({
      op: 'retype',
      pick,
      type,
      castable: odds > 0,
      rename,
    }),
  );
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: typeArb.chain((type) =>
      fc
        .array(
          type === 'text'
            ? fc.constantFrom(...TEXT_THEMES).chain((theme) => theme)
            : valuesOf[type],
          {
            minLength: ROWS,
            maxLength: ROWS,
          },
        )
        .map((values): Command => ({ op: 'add', type, values })),
    ),
    weight: 2,
  },
  { arbitrary: fc.nat().map((pick): Command => ({ op: 'rename', pick })), weight: 1 },
  {
    arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Command => ({ op: 'swap', a, b })),
    weight: 1,
  },
  { arbitrary: fc.nat().map((seed): Command => ({ op: 'reorder', seed })), weight: 1 },
  { arbitrary: retype, weight: 5 },
  { arbitrary: fc.nat().map((pick): Command => ({ op: 'delete', pick })), weight: 1 },
  { arbitrary: fc.nat().map((pick): Command => ({ op: 'restore', pick })), weight: 1 },
  { arbitrary: fc.nat().map((pick): Command => ({ op: 'purge', pick })), weight: 1 },
);

const initialTypes = fc.array(typeArb, { minLength: 2, maxLength: 4 });

function definitionOf(fields: readonly ModelField[], version: number): FormDefinition {
  const definitions: FieldDefinition[] = fields.map((field) => ({
    id: field.id,
    key: field.key,
    type: field.type,
    typeVersion: 1,
    label: { 'zh-CN': field.key, en: field.key },
    ...(field.type === 'select' || field.type === 'multiselect'
      ? {
          config: {
            options: SELECT_OPTIONS.map((value) => ({
              value,
              label: { 'zh-CN': value, en: value },
            })),
          },
        }
      : {}),
    ...(field.deleted ? { deleted: true } : {}),
  }));
  const form = {
    key: 'sample',
    label: { 'zh-CN': '样本', en: 'Sample' },
    version,
    fields: definitions,
  };
  const checked = validateFormDefinition(form);
  if (!checked.ok) throw new Error(`invalid test form: ${JSON.stringify(checked.problems)}`);
  return checked.value;
}

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`set timezone = 'UTC'`);
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

async function readTable(model: Model): Promise<Map<string, Map<string, Cell>>> {
  const columns = model.fields.map((field) => `"${field.key}"::text as "${field.id}"`);
  const { rows } = await client.query(
    `select id::text as id${columns.map((c) => `, ${c}`).join('')} from app_prop.sample`,
  );
  return new Map(
    rows.map((row: Record<string, Cell>) => [
      String(row.id),
      new Map(model.fields.map((field) => [field.id, row[field.id] ?? null])),
    ]),
  );
}

function snapshot(rows: Map<string, Map<string, Cell>>) {
  return [...rows].map(([id, cells]) => [id, Object.fromEntries(cells)]).sort();
}

async function publish(model: Model, fields: ModelField[], purge: string[] = []) {
  const live = definitionOf(model.fields, model.version);
  const next = definitionOf(fields, model.version + 1);
  const plan = planPublish(live, next, { appKey: 'prop', purge });
  const outcome = await applyPlan(client, plan);
  return { plan, outcome };
}

/** Runs one command against the database and the model; returns false when nothing applied. */
async function run(model: Model, cmd: Command): Promise<void> {
  const live = model.fields;
  const visible = live.filter((field) => !field.deleted);
  const pickFrom = <T>(list: readonly T[], pick: number) =>
    list.length === 0 ? undefined : list[pick % list.length];
  let fields: ModelField[] = live;
  let purge: string[] = [];
  let conversion: { id: string; from: ModelType; to: ModelType } | null = null;
  switch (cmd.op) {
    case 'add': {
      const id = `x${model.nextId++}`;
      fields = [...live, { id, key: `k_${id}`, type: cmd.type, deleted: false }];
      break;
    }
    case 'rename': {
      const target = pickFrom(visible, cmd.pick);
      if (!target) return;
      const key = `r_${model.nextId++}`;
      fields = live.map((field) => (field.id === target.id ? { ...field, key } : field));
      break;
    }
    case 'swap': {
      const a = pickFrom(live, cmd.a);
      const b = pickFrom(live, cmd.b);
      if (!a || !b || a.id === b.id) return;
      fields = live.map((field) =>
        field.id === a.id
          ? { ...field, key: b.key }
          : field.id === b.id
            ? { ...field, key: a.key }
            : field,
      );
      break;
    }
    case 'reorder':
      fields = [...live].sort(
        (x, y) => ((x.id.charCodeAt(1) * cmd.seed) % 7) - ((y.id.charCodeAt(1) * cmd.seed) % 7),
      );
      break;
    case 'retype': {
      const target = pickFrom(visible, cmd.pick);
      if (!target) return;
      const castable = MODEL_TYPES.filter(
        (type) => type !== target.type && conversionSupported(target.type, type),
      );
      const type = cmd.castable
        ? (castable[MODEL_TYPES.indexOf(cmd.type) % castable.length] ?? cmd.type)
        : cmd.type;
      if (type === target.type) return;
      conversion = { id: target.id, from: target.type, to: type };
      // Sometimes renamed in the same publish: to a fresh key, or swapping keys with another field.
      const other = live.find((field) => field.id !== target.id);
      const fresh = `r_${model.nextId++}`;
      fields = live.map((field) => {
        if (field.id === target.id) {
          const key = cmd.rename === 1 ? fresh : cmd.rename === 2 && other ? other.key : field.key;
          return { ...field, type, key };
        }
        return cmd.rename === 2 && field.id === other?.id ? { ...field, key: target.key } : field;
      });
      break;
    }
    case 'delete': {
      const target = pickFrom(visible, cmd.pick);
      if (!target) return;
      fields = live.map((field) => (field.id === target.id ? { ...field, deleted: true } : field));
      break;
    }
    case 'restore': {
      const target = pickFrom(
        live.filter((field) => field.deleted),
        cmd.pick,
      );
      if (!target) return;
      fields = live.map((field) => (field.id === target.id ? { ...field, deleted: false } : field));
      break;
    }
    case 'purge': {
      const target = pickFrom(
        live.filter((field) => field.deleted),
        cmd.pick,
      );
      if (!target) return;
      fields = live.filter((field) => field.id !== target.id);
      purge = [target.id];
      break;
    }
  }

  const before = await readTable(model);
  const { plan, outcome } = await publish(model, fields, purge);

  // The model's verdict on a type change: unsupported, some value bad, or every value converts.
  let expected = new Map([...model.rows].map(([id, cells]) => [id, new Map(cells)]));
  let verdict: 'ok' | 'bad' | 'unsupported' = 'ok';
  if (conversion) {
    const { id, from, to } = conversion;
    if (!conversionSupported(from, to)) verdict = 'unsupported';
    else {
      for (const cells of expected.values()) {
        const value = cells.get(id) ?? null;
        const converted = value === null ? null : convertModel(value, from, to);
        if (converted?.kind === 'bad') verdict = 'bad';
        else if (converted?.kind === 'ok') cells.set(id, converted.value);
      }
    }
  }

  if (!outcome.applied) {
    if (verdict === 'bad') tally.refusedValues += 1;
    if (verdict === 'unsupported') tally.refusedCast += 1;
    if (conversion) {
      const reason = outcome.refusals[0];
      expect(
        reason === 'typeChangeUnsupported' ? 'unsupported' : 'bad',
        JSON.stringify(conversion),
      ).toBe(verdict);
    } else {
      throw new Error(`unexpected refusal of ${cmd.op}: ${outcome.refusals.join(', ')}`);
    }
    expect(snapshot(await readTable(model))).toEqual(snapshot(before));
    return;
  }
  if (conversion) tally.converted += 1;
  if (cmd.op === 'rename' || cmd.op === 'swap') tally.renamed += 1;
  if (cmd.op === 'purge') tally.purged += 1;
  expect(verdict, `applied ${JSON.stringify(conversion)} although the model says ${verdict}`).toBe(
    'ok',
  );
  if (['add', 'rename', 'swap', 'purge'].includes(cmd.op))
    expect(plan.steps.length).toBeGreaterThan(0);
  if (['reorder', 'delete', 'restore'].includes(cmd.op)) expect(plan.steps).toEqual([]);

  for (const id of purge) for (const cells of expected.values()) cells.delete(id);
  model.fields = fields;
  model.version += 1;
  if (cmd.op === 'add') {
    const field = fields[fields.length - 1];
    if (!field) throw new Error('added field');
    let index = 0;
    for (const [rowId, cells] of expected) {
      const value = cmd.values[index++] ?? null;
      cells.set(field.id, value);
      await client.query(`update app_prop.sample set "${field.key}" = $1 where id = $2`, [
        value,
        rowId,
      ]);
    }
  }
  model.rows = expected;
  expected = model.rows;
  expect(snapshot(await readTable(model))).toEqual(snapshot(expected));
}

describe('publishing keeps data', () => {
  it('random change sequences lose or alter no value except refused changes and purges', async () => {
    await fc.assert(
      fc.asyncProperty(
        initialTypes,
        fc.array(command, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(...Array.from({ length: 4 }, () => fc.nat())), {
          minLength: ROWS,
          maxLength: ROWS,
        }),
        async (types, commands, seeds) => {
          await client.query('drop schema if exists app_prop cascade');
          const model: Model = { version: 1, fields: [], rows: new Map(), nextId: 0 };
          model.fields = types.map((type) => {
            const id = `x${model.nextId++}`;
            return { id, key: `k_${id}`, type, deleted: false };
          });
          const first = planPublish(null, definitionOf(model.fields, 1), { appKey: 'prop' });
          expect(await applyPlan(client, first)).toEqual({ applied: true });
          for (const seed of seeds) {
            const cells = new Map<string, Cell>();
            model.fields.forEach((field, index) => {
              const sample =
                fc.sample(
                  field.type === 'text'
                    ? (TEXT_THEMES[(seeds[0]?.[index] ?? 0) % TEXT_THEMES.length] ?? valuesOf.text)
                    : valuesOf[field.type],
                  { seed: seed[index] ?? 0, numRuns: 1 },
                )[0] ?? null;
              cells.set(field.id, sample);
            });
            const keys = model.fields.map((field) => `"${field.key}"`);
            const values = model.fields.map((field) => cells.get(field.id) ?? null);
            const placeholders = values.map((_, i) => `$${i + 1}`);
            const { rows } = await client.query(
              `insert into app_prop.sample (${keys.join(', ')}) values (${placeholders.join(', ')}) returning id::text as id`,
              values,
            );
            model.rows.set(String(rows[0]?.id), cells);
          }
          expect(snapshot(await readTable(model))).toEqual(snapshot(model.rows));
          for (const cmd of commands) await run(model, cmd);
        },
      ),
      { numRuns: Number(process.env.FORMS_PROPERTY_RUNS ?? 25) },
    );
    if (process.env.FORMS_PROPERTY_STATS) console.log(tally);
    expect(tally.converted).toBeGreaterThan(0);
    expect(tally.refusedValues + tally.refusedCast).toBeGreaterThan(0);
    expect(tally.renamed).toBeGreaterThan(0);
  }, 300_000);
});
