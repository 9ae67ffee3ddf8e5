import type { Channel, DemoStaff, LendingRole } from '@joinery/lending-crm';
import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/passwords.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import type { DemoAccount } from '../http/meta.routes.ts';

/** The password of every demo account. Demo mode only: never on a production database. */
export const DEMO_PASSWORD = 'Joinery-demo-2026';

/** The sales team (department) of each acquisition channel, as the lead-assignment rules name them. */
export const SALES_TEAMS: Readonly<Record<Channel, string>> = {
  online_ads: '线上销售组',
  referral: '转介绍销售组',
  partner: '渠道销售组',
  offline_store: '门店销售组',
  telemarketing: '电销组',
};

interface DemoUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: LendingRole;
  readonly department: string;
}

const ROLE_NAMES: Readonly<Record<LendingRole, { 'zh-CN': string; en: string }>> = {
  sales: { 'zh-CN': '销售', en: 'Sales' },
  reviewer: { 'zh-CN': '信审', en: 'Credit reviewer' },
  risk: { 'zh-CN': '风控', en: 'Risk' },
  compliance: { 'zh-CN': '合规', en: 'Compliance' },
  committee: { 'zh-CN': '信审委员', en: 'Credit committee' },
  finance: { 'zh-CN': '财务', en: 'Finance' },
  collector: { 'zh-CN': '催收', en: 'Collector' },
  support: { 'zh-CN': '客服', en: 'Customer support' },
  manager: { 'zh-CN': '管理层', en: 'Management' },
  admin: { 'zh-CN': '管理员', en: 'Administrator' },
};

/** Who the demo users are: two salespeople per channel team, and every other role of the spec. */
export function demoUsers(): DemoUser[] {
  const users: DemoUser[] = [];
  let n = 0;
  for (const team of Object.values(SALES_TEAMS)) {
    for (let i = 0; i < 2; i++) {
      n++;
      users.push({
        username: `sales${n}`,
        displayName: `销售${n}`,
        role: 'sales',
        department: team,
      });
    }
  }
  const others: [LendingRole, number, string][] = [
    ['reviewer', 3, '信审部'],
    ['risk', 1, '风控部'],
    ['compliance', 1, '合规部'],
    ['committee', 3, '信审委员会'],
    ['finance', 2, '财务部'],
    ['collector', 3, '催收部'],
    ['support', 1, '客服部'],
    ['manager', 1, '管理层'],
    ['admin', 1, '信息技术部'],
  ];
  for (const [role, count, department] of others) {
    for (let i = 1; i <= count; i++) {
      users.push({
        username: `${role}${i}`,
        displayName: `${ROLE_NAMES[role]['zh-CN']}${i}`,
        role,
        department,
      });
    }
  }
  return users;
}

/** The accounts the login page lists in demo mode: the first user of each role. */
export function demoAccounts(): DemoAccount[] {
  const seen = new Set<string>();
  return demoUsers()
    .filter((user) => !seen.has(user.role) && seen.add(user.role))
    .map((user) => ({
      username: user.username,
      password: DEMO_PASSWORD,
      role: ROLE_NAMES[user.role],
    }));
}

/**
 * Creates the demo departments and users (idempotent: existing ones are kept) and gives each
 * user their role; the template's roles must be installed. Returns who the demo data is owned
 * by and assigned to.
 */
export async function ensureDemoStaff(db: Kysely<JoineryDatabase>): Promise<DemoStaff> {
  const users = demoUsers();
  const hash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  await db.transaction().execute(async (trx) => {
    const departments = new Map<string, string>();
    for (const name of new Set(users.map((u) => u.department))) {
      const found = await trx
        .selectFrom('joinery.departments')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst();
      const id =
        found?.id ??
        (
          await trx
            .insertInto('joinery.departments')
            .values({ name })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      departments.set(name, id);
    }
    const roles = new Map(
      (await trx.selectFrom('joinery.roles').select(['id', 'key']).execute()).map((r) => [
        r.key,
        r.id,
      ]),
    );
    for (const user of users) {
      const found = await trx
        .selectFrom('joinery.users')
        .select('id')
        .where('username', '=', user.username)
        .executeTakeFirst();
      const id =
        found?.id ??
        (
          await trx
            .insertInto('joinery.users')
            .values({
              username: user.username,
              display_name: user.displayName,
              password_hash: hash,
              is_admin: user.role === 'admin',
              department_id: departments.get(user.department) ?? null,
              must_change_password: false,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      ids.set(user.username, id);
      const roleId = roles.get(user.role);
      if (roleId) {
        await trx
          .insertInto('joinery.user_roles')
          .values({ user_id: id, role_id: roleId })
          .onConflict((conflict) => conflict.doNothing())
          .execute();
      }
    }
  });
  const of = (role: LendingRole, department?: string) =>
    users
      .filter((u) => u.role === role && (department === undefined || u.department === department))
      .map((u) => ids.get(u.username) ?? '');
  const salesByChannel = Object.fromEntries(
    Object.entries(SALES_TEAMS).map(([channel, team]) => [channel, of('sales', team)]),
  ) as Record<Channel, string[]>;
  return { salesByChannel, collectors: of('collector'), finance: of('finance') };
}
