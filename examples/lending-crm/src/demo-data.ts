import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { Decimal } from 'decimal.js';
import { blockSummary, DemoSequence, genderOf, settleBlock } from './demo-sequence.ts';
import { CITIES, fakeBankCard, fakeMobile, fakeNationalId } from './fake-identity.ts';
import { addMonths, type RepaymentMethod, repaymentSchedule } from './repayment-schedule.ts';

/** How much demo data: `small` for the demo, `1m` (one million applications) for benchmarks. */
export type DemoSize = 'small' | 'medium' | '1m';

/** Customers and loan applications of each size. */
export const DEMO_SIZES: Readonly<Record<DemoSize, { customers: number; applications: number }>> = {
  small: { customers: 300, applications: 600 },
  medium: { customers: 10_000, applications: 30_000 },
  '1m': { customers: 400_000, applications: 1_000_000 },
};

/** Acquisition channels (the template's `channel` options) and their share of customers. */
export const CHANNELS = [
  ['online_ads', 0.35],
  ['referral', 0.15],
  ['partner', 0.2],
  ['offline_store', 0.15],
  ['telemarketing', 0.15],
] as const;

/** One of the {@link CHANNELS}. */
export type Channel = (typeof CHANNELS)[number][0];

/** The users the data is owned by and assigned to (created by the caller, e.g. demo users). */
export interface DemoStaff {
  readonly salesByChannel: Readonly<Record<Channel, readonly string[]>>;
  readonly collectors: readonly string[];
  readonly finance: readonly string[];
}

/** What to generate. Same options, same rows: the data depends on nothing else. */
export interface DemoOptions {
  readonly size: DemoSize;
  readonly seed: number;
  /** The "today" of the data (`YYYY-MM-DD`): 18 months of history end here. */
  readonly asOf: string;
  readonly staff: DemoStaff;
}

/** The tables of the template that receive rows (forms, and subforms' child tables). */
export const DEMO_TABLES = [
  'product',
  'channel_spend',
  'customer',
  'follow_up',
  'loan_application',
  'contract',
  'contract__repayment_schedule',
  'disbursement',
  'repayment',
  'collection_case',
] as const;

/** One of {@link DEMO_TABLES}. */
export type DemoTable = (typeof DEMO_TABLES)[number];

/** A row for a table (column → value), or a batch boundary where a writer may flush. */
export type DemoItem =
  | { readonly table: DemoTable; readonly row: Readonly<Record<string, unknown>> }
  | { readonly flush: true; readonly customers: number };

/** A serial number the generator handed out, so the caller can move the counters past it. */
export interface SerialUse {
  readonly form: 'loan_application' | 'contract';
  readonly date: string;
  readonly count: number;
}

const STATUSES_RECENT = [
  ['draft', 0.05],
  ['in_review', 0.15],
  ['returned', 0.05],
  ['approved', 0.05],
  ['signed', 0.05],
  ['withdrawn', 0.05],
  ['rejected', 0.2],
  ['disbursed', 0.4],
] as const;
const STATUSES_OLD = [
  ['withdrawn', 0.04],
  ['rejected', 0.3],
  ['disbursed', 0.66],
] as const;

interface Product {
  readonly id: string;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly apr: readonly [number, number];
  readonly terms: readonly number[];
  readonly methods: readonly RepaymentMethod[];
}

const DAY = 86_400_000;
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Customers per block: each block is drawn from its own seed, so blocks can be generated apart. */
export const BLOCK_CUSTOMERS = 1000;

/** The number of blocks of a size. */
export function demoBlockCount(size: DemoSize): number {
  return Math.ceil(DEMO_SIZES[size].customers / BLOCK_CUSTOMERS);
}

/**
 * The demo data of the lending CRM, row by row, deterministic for its options: customers with
 * zh_CN names, cities and valid fake ID numbers over 18 months; follow-ups; applications in every
 * state (recent ones still in review, older ones decided); for disbursed loans a contract whose
 * repayment schedule adds up to the cent, a disbursement, the repayments made so far, and —
 * where payments were missed — a collection case with its overdue days and bucket (M1 1–30,
 * M2 31–60, M3+ over 60). Stored formulas and rollups are filled as the form engine computes
 * them. The products and channel spend come first ({@link demoHeadRows}), then the customers
 * block by block ({@link demoBlock}, settled in order by a {@link DemoSequence}), with a flush
 * marker after each block of {@link BLOCK_CUSTOMERS}, so a writer needs memory for one block.
 * A writer may generate the blocks elsewhere (worker threads) and settle them in order: the rows
 * are the same.
 */
export function* lendingDemoRows(
  options: DemoOptions,
  serials: Map<string, number> = new Map(),
): Generator<DemoItem> {
  yield* demoHeadRows(options);
  const sequence = new DemoSequence(serials);
  const { customers } = DEMO_SIZES[options.size];
  for (let block = 0; block < demoBlockCount(options.size); block++) {
    const rows = demoBlock(options, block);
    settleBlock(rows, sequence.settle(blockSummary(rows)));
    yield* rows;
    yield { flush: true, customers: Math.min(customers, (block + 1) * BLOCK_CUSTOMERS) };
  }
}

/** A generated row. */
export type DemoRow = Extract<DemoItem, { table: DemoTable }>;

/** The products and the channel spend per month: the rows before the customers. */
export function* demoHeadRows(options: DemoOptions): Generator<DemoRow> {
  const faker = seeded(options.seed, -1);
  const { customers } = DEMO_SIZES[options.size];
  const start = ms(addMonths(options.asOf, -18));
  for (const product of productRows(faker)) {
    yield {
      table: 'product',
      row: {
        id: product.id,
        name: product.name,
        category: product.name.includes('车')
          ? 'car_loan'
          : product.name.includes('分期')
            ? 'consumer_instalment'
            : 'personal_credit',
        min_amount: product.min.toFixed(2),
        max_amount: product.max.toFixed(2),
        min_apr: String(product.apr[0]),
        max_apr: String(product.apr[1]),
        terms: product.terms.map(String),
        repayment_methods: [...product.methods],
        active: true,
        created_at: new Date(start).toISOString(),
      },
    };
  }
  for (let month = 0; month < 18; month++) {
    for (const [channel, share] of CHANNELS) {
      yield {
        table: 'channel_spend',
        row: {
          id: faker.string.uuid(),
          channel,
          month: addMonths(toDate(start), month).slice(0, 8).concat('01'),
          spend: (
            Math.round(share * (customers / 18) * faker.number.int({ min: 80, max: 220 })) + 0.0
          ).toFixed(2),
        },
      };
    }
  }
}

/**
 * The rows of one block of customers (their follow-ups, applications and loans), drawn from the
 * block's own seed. Serial numbers count from 1 within the block and ID numbers are unique
 * within it: {@link settleBlock} makes both unique across blocks.
 */
export function demoBlock(options: DemoOptions, block: number): DemoRow[] {
  const products = productRows(seeded(options.seed, -1));
  const faker = seeded(options.seed, block);
  const { customers, applications } = DEMO_SIZES[options.size];
  const end = ms(options.asOf);
  const start = ms(addMonths(options.asOf, -18));
  const serials = new Map<string, number>();
  const rows: DemoRow[] = [];
  const ids = new Set<string>();
  let collectorTurn = block;
  const last = Math.min(customers, (block + 1) * BLOCK_CUSTOMERS);
  for (let c = block * BLOCK_CUSTOMERS; c < last; c++) {
    const channel = weighted(faker, CHANNELS);
    const team = options.staff.salesByChannel[channel];
    const owner = team[c % team.length] ?? null;
    const createdMs =
      start + Math.floor(((end - start - 2 * DAY) * (c + faker.number.float())) / customers);
    const created = new Date(createdMs).toISOString();
    const [region, city] = faker.helpers.arrayElement(CITIES);
    const birth = toDate(
      Date.UTC(faker.number.int({ min: 1965, max: 2003 }), 0, 1) +
        faker.number.int({ min: 0, max: 364 }) * DAY,
    );
    let idNumber = fakeNationalId(region, birth, faker.number.int({ min: 0, max: 999 }));
    for (let seq = 0; ids.has(idNumber); seq++) idNumber = fakeNationalId(region, birth, seq);
    ids.add(idNumber);
    const income = faker.number.int({ min: 30, max: 600 }) * 100;
    const score = faker.number.int({ min: 450, max: 900 });
    const behaviour = faker.number.float();
    const overdueCount = behaviour < 0.85 ? 0 : faker.number.int({ min: 1, max: 5 });
    const customerId = faker.string.uuid();
    rows.push({
      table: 'customer',
      row: {
        id: customerId,
        created_at: created,
        updated_at: created,
        owner,
        created_by: owner,
        updated_by: owner,
        name: faker.person.lastName() + faker.person.firstName(),
        mobile: fakeMobile(faker, c),
        id_number: idNumber,
        birth_date: birth,
        gender: genderOf(idNumber),
        city,
        channel,
        grade: grade(score, income, overdueCount),
        risk_level: score < 550 ? 'high' : score < 680 ? 'medium' : 'low',
        monthly_income: income.toFixed(2),
        credit_score: score,
        overdue_count: overdueCount,
        tags: faker.helpers
          .arrayElements(['vip', 'repeat', 'salaried', 'self_employed'], { min: 0, max: 2 })
          .sort(byOption),
        blacklisted: faker.number.float() < 0.01,
        consent_at: created,
        consent_version: 'v2.1',
      },
    });
    for (let f = faker.number.int({ min: 0, max: 2 }); f > 0; f--) {
      const at = Math.min(end, createdMs + faker.number.int({ min: 0, max: 20 }) * DAY);
      rows.push({
        table: 'follow_up',
        row: {
          id: faker.string.uuid(),
          created_at: new Date(at).toISOString(),
          updated_at: new Date(at).toISOString(),
          owner,
          created_by: owner,
          updated_by: owner,
          customer: customerId,
          kind: faker.helpers.arrayElement(['call', 'sms', 'visit', 'wechat']),
          content: faker.helpers.arrayElement([
            '介绍产品与利率',
            '确认收入证明',
            '提醒补充资料',
            '客户询问额度',
            '约定面签时间',
          ]),
          outcome: faker.helpers.arrayElement(['reached', 'no_answer', 'interested', 'applied']),
          next_follow_up: at + 7 * DAY <= end ? null : toDate(at + 7 * DAY),
          status: at + 7 * DAY <= end ? 'done' : 'open',
        },
      });
    }
    const count =
      Math.floor(((c + 1) * applications) / customers) - Math.floor((c * applications) / customers);
    for (let a = 0; a < count; a++) {
      rows.push(
        ...application(faker, options, serials, {
          customerId,
          owner,
          createdMs,
          end,
          income,
          score,
          behaviour,
          products,
          collector: () =>
            options.staff.collectors[collectorTurn++ % options.staff.collectors.length] ?? null,
        }),
      );
    }
  }
  return rows;
}

interface ApplicantContext {
  readonly customerId: string;
  readonly owner: string | null;
  readonly createdMs: number;
  readonly end: number;
  readonly income: number;
  readonly score: number;
  readonly behaviour: number;
  readonly products: readonly Product[];
  readonly collector: () => string | null;
}

function* application(
  faker: Faker,
  options: DemoOptions,
  serials: Map<string, number>,
  who: ApplicantContext,
): Generator<DemoRow> {
  const drawn = who.createdMs + faker.number.float() * (who.end - who.createdMs);
  const status = weighted(faker, who.end - drawn < 30 * DAY ? STATUSES_RECENT : STATUSES_OLD);
  // Reviews have a one-day deadline: what is still in review was submitted in the last two days.
  const waiting = status === 'in_review' || status === 'returned';
  const at = waiting ? Math.max(who.createdMs, who.end - faker.number.float() * 2 * DAY) : drawn;
  const day = toDate(at);
  const product = faker.helpers.arrayElement(who.products);
  const amount = faker.number.int({ min: product.min / 1000, max: product.max / 1000 }) * 1000;
  const term = faker.helpers.arrayElement(product.terms);
  const method = faker.helpers.arrayElement(product.methods);
  const debt = faker.number.int({ min: 0, max: Math.floor(who.income * 0.7) / 100 }) * 100;
  const decided = ['draft', 'in_review', 'returned'].includes(status)
    ? null
    : Math.min(who.end, at + faker.number.int({ min: 1, max: 5 }) * DAY);
  const signed =
    ['signed', 'disbursed'].includes(status) && decided !== null
      ? Math.min(who.end, decided + faker.number.int({ min: 0, max: 3 }) * DAY)
      : null;
  const disbursed =
    status === 'disbursed' && signed !== null
      ? Math.min(who.end, signed + faker.number.int({ min: 0, max: 2 }) * DAY)
      : null;
  const card = fakeBankCard(faker);
  const id = faker.string.uuid();
  const created = new Date(at).toISOString();
  yield {
    table: 'loan_application',
    row: {
      id,
      created_at: created,
      updated_at: new Date(decided ?? at).toISOString(),
      owner: who.owner,
      created_by: who.owner,
      updated_by: who.owner,
      serial_no: serial(serials, 'loan_application', 'LA', day),
      customer: who.customerId,
      product: product.id,
      amount: amount.toFixed(2),
      term,
      repayment_method: method,
      purpose: faker.helpers.arrayElement([
        'consumption',
        'education',
        'medical',
        'car',
        'renovation',
        'business',
      ]),
      cash: faker.number.float() < 0.05,
      monthly_income: who.income.toFixed(2),
      monthly_debt: debt.toFixed(2),
      debt_to_income:
        who.income > 0
          ? new Decimal(debt).div(who.income).mul(100).toDecimalPlaces(2).toString()
          : null,
      credit_score: who.score,
      status,
      risk_flag: who.score < 520,
      submitted_at: status === 'draft' ? null : created,
      decided_at: decided === null ? null : new Date(decided).toISOString(),
      signed_on: signed === null ? null : toDate(signed),
      disbursed_on: disbursed === null ? null : toDate(disbursed),
      bank_account: status === 'draft' ? null : card,
    },
  };
  if (signed === null || disbursed === null) return;
  const apr = String(faker.number.int({ min: product.apr[0] * 10, max: product.apr[1] * 10 }) / 10);
  const contractId = faker.string.uuid();
  const signedOn = toDate(signed);
  const rows = repaymentSchedule({
    principal: amount.toFixed(2),
    apr,
    term,
    method,
    firstDue: addMonths(toDate(disbursed), 1),
  });
  // Behaviour: most pay on time; some pay late; a few stop paying from some period on.
  const late = who.behaviour >= 0.85 && who.behaviour < 0.93;
  const stopsAt = who.behaviour >= 0.93 ? faker.number.int({ min: 1, max: term }) : term + 1;
  const today = toDate(who.end);
  const schedule = rows.map((row) => {
    const due = row.dueDate;
    if (due >= today) return { row, status: 'pending', paidOn: null as string | null };
    if (row.period >= stopsAt) return { row, status: 'overdue', paidOn: null };
    const lateDays = late && faker.number.float() < 0.3 ? faker.number.int({ min: 1, max: 20 }) : 0;
    const paid = toDate(
      Math.min(
        who.end - DAY,
        ms(due) + (lateDays > 0 ? lateDays : -faker.number.int({ min: 0, max: 3 })) * DAY,
      ),
    );
    return { row, status: 'paid', paidOn: paid };
  });
  const overdue = schedule.filter((s) => s.status === 'overdue');
  const allPaid = schedule.every((s) => s.status === 'paid');
  const sum = (values: readonly string[]) =>
    values.reduce((t, v) => t.plus(v), new Decimal(0)).toFixed(2);
  yield {
    table: 'contract',
    row: {
      id: contractId,
      created_at: new Date(signed).toISOString(),
      updated_at: new Date(signed).toISOString(),
      owner: who.owner,
      created_by: who.owner,
      updated_by: who.owner,
      serial_no: serial(serials, 'contract', 'HT', signedOn),
      application: id,
      customer: who.customerId,
      principal: amount.toFixed(2),
      apr,
      term,
      repayment_method: method,
      signed_on: signedOn,
      status: allPaid ? 'settled' : overdue.length > 0 ? 'overdue' : 'active',
      // Rollups, as the records API shows them (a decimal without trailing zeros).
      total_principal: new Decimal(sum(rows.map((r) => r.principal))).toFixed(),
      total_interest: new Decimal(sum(rows.map((r) => r.interest))).toFixed(),
    },
  };
  for (const [index, item] of schedule.entries()) {
    yield {
      table: 'contract__repayment_schedule',
      row: {
        id: faker.string.uuid(),
        parent_id: contractId,
        row_order: index,
        period: item.row.period,
        due_date: item.row.dueDate,
        principal: item.row.principal,
        interest: item.row.interest,
        status: item.status,
        paid_on: item.paidOn,
      },
    };
  }
  const finance = options.staff.finance[0] ?? null;
  yield {
    table: 'disbursement',
    row: {
      id: faker.string.uuid(),
      created_at: new Date(disbursed).toISOString(),
      updated_at: new Date(disbursed).toISOString(),
      owner: finance,
      created_by: finance,
      updated_by: finance,
      application: id,
      contract: contractId,
      amount: amount.toFixed(2),
      disbursed_on: toDate(disbursed),
      bank_account: card,
      confirmed_by: finance,
    },
  };
  let firstLate: {
    period: number;
    days: number;
    amount: string;
    paidOn: string;
    due: string;
  } | null = null;
  for (const item of schedule) {
    if (item.status !== 'paid' || item.paidOn === null) continue;
    const amountPaid = new Decimal(item.row.principal).plus(item.row.interest).toFixed(2);
    const days = Math.round((ms(item.paidOn) - ms(item.row.dueDate)) / DAY);
    if (days > 0 && firstLate === null)
      firstLate = {
        period: item.row.period,
        days,
        amount: amountPaid,
        paidOn: item.paidOn,
        due: item.row.dueDate,
      };
    yield {
      table: 'repayment',
      row: {
        id: faker.string.uuid(),
        created_at: `${item.paidOn}T02:00:00.000Z`,
        updated_at: `${item.paidOn}T02:00:00.000Z`,
        owner: finance,
        created_by: finance,
        updated_by: finance,
        contract: contractId,
        period: item.row.period,
        amount: amountPaid,
        paid_on: item.paidOn,
        method: days > 0 ? 'collection' : 'auto_debit',
      },
    };
  }
  const first = overdue[0];
  if (first) {
    const days = Math.round((who.end - ms(first.row.dueDate)) / DAY);
    const promised = faker.number.float() < 0.4;
    yield {
      table: 'collection_case',
      row: {
        id: faker.string.uuid(),
        created_at: new Date(ms(first.row.dueDate) + DAY).toISOString(),
        updated_at: new Date(who.end).toISOString(),
        owner: who.owner,
        contract: contractId,
        customer: who.customerId,
        overdue_since: first.row.dueDate,
        overdue_days: days,
        bucket: bucketOf(days),
        overdue_principal: sum(overdue.map((s) => s.row.principal)),
        overdue_amount: sum(overdue.flatMap((s) => [s.row.principal, s.row.interest])),
        collector: who.collector(),
        promise_date: promised
          ? toDate(who.end + faker.number.int({ min: 1, max: 14 }) * DAY)
          : null,
        promise_amount: promised
          ? new Decimal(first.row.principal).plus(first.row.interest).toFixed(2)
          : null,
        recovered_amount: '0.00',
        promise_kept: false,
        status: promised ? 'promised' : 'open',
      },
    };
  } else if (firstLate) {
    yield {
      table: 'collection_case',
      row: {
        id: faker.string.uuid(),
        created_at: new Date(ms(firstLate.due) + DAY).toISOString(),
        updated_at: `${firstLate.paidOn}T02:00:00.000Z`,
        owner: who.owner,
        contract: contractId,
        customer: who.customerId,
        overdue_since: firstLate.due,
        overdue_days: firstLate.days,
        bucket: bucketOf(firstLate.days),
        overdue_principal: '0.00',
        overdue_amount: '0.00',
        collector: who.collector(),
        promise_date: firstLate.paidOn,
        promise_amount: firstLate.amount,
        recovered_amount: firstLate.amount,
        promise_kept: true,
        status: 'recovered',
      },
    };
  }
}

/** The collection bucket of a number of overdue days, as the template's formula gives it. */
export function bucketOf(days: number): 'M1' | 'M2' | 'M3+' | null {
  return days > 60 ? 'M3+' : days > 30 ? 'M2' : days > 0 ? 'M1' : null;
}

/** The customer grade, as the template's grading rule computes it. */
export function grade(score: number, income: number, overdueCount: number): 'A' | 'B' | 'C' | 'D' {
  if (overdueCount >= 3 || score < 550) return 'D';
  if (score >= 750 && income >= 20_000 && overdueCount < 1) return 'A';
  if (score >= 650 && income >= 8_000 && overdueCount <= 1) return 'B';
  return 'C';
}

const OPTION_ORDER = ['vip', 'repeat', 'salaried', 'self_employed'];
function byOption(a: string, b: string): number {
  return OPTION_ORDER.indexOf(a) - OPTION_ORDER.indexOf(b);
}

function serial(serials: Map<string, number>, form: string, prefix: string, day: string): string {
  const key = `${form}|${day}`;
  const next = (serials.get(key) ?? 0) + 1;
  serials.set(key, next);
  return `${prefix}-${day.replaceAll('-', '')}-${String(next).padStart(4, '0')}`;
}

/** The faker of a block (`-1`: the rows before the customers), seeded from the seed number. */
function seeded(seed: number, block: number): Faker {
  const faker = new Faker({ locale: [zh_CN, en, base] });
  faker.seed([seed, block + 1]);
  return faker;
}

function weighted<T extends string>(faker: Faker, choices: readonly (readonly [T, number])[]): T {
  let roll = faker.number.float();
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

function productRows(faker: Faker): Product[] {
  const all: RepaymentMethod[] = ['equal_instalment', 'equal_principal', 'interest_first'];
  return [
    {
      name: '个人信用贷',
      min: 5_000,
      max: 200_000,
      apr: [7.2, 18] as const,
      terms: [6, 12, 24, 36],
      methods: all,
    },
    {
      name: '工薪贷',
      min: 10_000,
      max: 300_000,
      apr: [6, 15] as const,
      terms: [12, 24, 36],
      methods: ['equal_instalment', 'equal_principal'] as RepaymentMethod[],
    },
    {
      name: '车贷',
      min: 50_000,
      max: 500_000,
      apr: [5.5, 12] as const,
      terms: [12, 24, 36],
      methods: ['equal_instalment'] as RepaymentMethod[],
    },
    {
      name: '消费分期',
      min: 1_000,
      max: 50_000,
      apr: [9, 24] as const,
      terms: [3, 6, 12],
      methods: ['equal_instalment'] as RepaymentMethod[],
    },
    {
      name: '经营周转贷',
      min: 50_000,
      max: 1_000_000,
      apr: [8, 18] as const,
      terms: [6, 12],
      methods: ['interest_first', 'equal_instalment'] as RepaymentMethod[],
    },
  ].map((product) => ({ ...product, id: faker.string.uuid() }));
}
