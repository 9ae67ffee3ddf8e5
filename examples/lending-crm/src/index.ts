export type {
  Channel,
  DemoItem,
  DemoOptions,
  DemoSize,
  DemoStaff,
  DemoTable,
  SerialUse,
} from './demo-data.ts';
export {
  bucketOf,
  CHANNELS,
  DEMO_SIZES,
  DEMO_TABLES,
  grade,
  lendingDemoRows,
  serialUses,
} from './demo-data.ts';
export { CITIES, fakeBankCard, fakeMobile, fakeNationalId } from './fake-identity.ts';
export type { RepaymentMethod, ScheduleRow, ScheduleTerms } from './repayment-schedule.ts';
export { addMonths, repaymentSchedule } from './repayment-schedule.ts';
export type { LendingRole } from './template.ts';
export { LENDING_APP_DIR, LENDING_APP_KEY, LENDING_ROLES } from './template.ts';
