import type { Logger } from 'pino';
import type { Database } from '../database/connect.ts';
import type { DemoAccount } from '../http/meta.routes.ts';
import { demoAccounts } from './demo-staff.ts';

/**
 * Demo mode at start-up (`JOINERY_DEMO=true`): on a database without any app, installs the
 * lending CRM through the app-package path and fills it with the small demo data (seed 1);
 * a database that already has apps is left as it is. Returns the accounts the login page lists.
 */
export async function prepareLendingDemo(
  database: Pick<Database, 'db' | 'pool'>,
  logger: Logger,
): Promise<readonly DemoAccount[]> {
  const apps = await database.db.selectFrom('joinery.apps').select('key').execute();
  if (apps.length === 0) {
    // Loaded on demand: the generator and its zh_CN data are large and only needed here.
    const { seedLending } = await import('./seed-lending.ts');
    const outcome = await seedLending(database, { size: 'small', seed: 1 });
    logger.info(
      { app: 'lending', rows: outcome.rows },
      'demo: lending CRM installed with demo data',
    );
  }
  return demoAccounts();
}
