import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

/** A demo account shown on the login page in demo mode only. */
export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly role: { readonly 'zh-CN': string; readonly en: string };
}

const Meta = Type.Object({
  name: Type.String(),
  version: Type.String(),
  demo: Type.Boolean(),
  /** Minutes east of UTC of the business day (`JOINERY_UTC_OFFSET_MINUTES`): `today` in rules. */
  utcOffsetMinutes: Type.Integer(),
  demoAccounts: Type.Array(
    Type.Object({
      username: Type.String(),
      password: Type.String(),
      role: Type.Object({ 'zh-CN': Type.String(), en: Type.String() }),
    }),
  ),
});

/** What the login page needs to know before anyone signs in. */
export const metaRoutes: FastifyPluginAsyncTypebox<{
  version: string;
  demo: boolean;
  utcOffsetMinutes: number;
  demoAccounts: () => readonly DemoAccount[];
}> = async (app, options) => {
  app.get(
    '/api/meta',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Product name, version, demo mode and the business day',
        response: { 200: Meta },
      },
    },
    async () => ({
      name: 'Joinery',
      version: options.version,
      demo: options.demo,
      utcOffsetMinutes: options.utcOffsetMinutes,
      demoAccounts: options.demo ? [...options.demoAccounts()] : [],
    }),
  );
};
