export type {
  Channel,
  DemoItem,
  DemoOptions,
  DemoRow,
  DemoSize,
  DemoStaff,
  DemoTable,
  SerialUse,
} from './demo-data.ts';
export {
  BLOCK_CUSTOMERS,
  bucketOf,
  CHANNELS,
  DEMO_SIZES,
  DEMO_TABLES,
  demoBlock,
  demoBlockCount,
  demoHeadRows,
  grade,
  lendingDemoRows,
} from './demo-data.ts';
export type { BlockFix, BlockSummary } from './demo-sequence.ts';
export { blockSummary, DemoSequence, serialUses, settleBlock } from './demo-sequence.ts';
export { CITIES, fakeBankCard, fakeMobile, fakeNationalId } from './fake-identity.ts';
export type { RepaymentMethod, ScheduleRow, ScheduleTerms } from './repayment-schedule.ts';
export { addMonths, repaymentSchedule } from './repayment-schedule.ts';
export type { LendingRole } from './template.ts';
export { LENDING_APP_DIR, LENDING_APP_KEY, LENDING_ROLES } from './template.ts';
