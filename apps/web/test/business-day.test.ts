import { describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.ts';
import { signIn } from './sign-in.ts';

const label = (text: string) => ({ 'zh-CN': text, en: text });

// The form's live linkage counts `today` in the server's business day
// (JOINERY_UTC_OFFSET_MINUTES, from GET /api/meta), not in UTC or the browser's time zone:
// at 2026-03-31T17:00Z it is already April 1 in Beijing.
describe('linkage today in the browser (Chromium)', () => {
  const started = browserSuite({
    setup: async ({ admin }) => {
      await admin.publishApp({ key: 'bday_test', label: label('营业日') }, [
        {
          key: 'visit',
          label: label('拜访'),
          fields: [
            { id: 'v1', key: 'name', type: 'text', label: label('名称') },
            {
              id: 'v2',
              key: 'april_note',
              type: 'textarea',
              label: label('四月一日说明'),
              rules: { visibleWhen: { '==': [{ today: [] }, '2026-04-01'] } },
            },
            {
              id: 'v3',
              key: 'march_note',
              type: 'textarea',
              label: label('三月末说明'),
              rules: { visibleWhen: { '==': [{ today: [] }, '2026-03-31'] } },
            },
          ],
        },
      ]);
    },
  });

  it('shows what is due on the Beijing day at 17:00 UTC', async () => {
    const { server, page: open } = started();
    await open('business-day', 'zh-CN', async ({ page }) => {
      await signIn(page, 'admin', server.adminPassword);
      await page.clock.setFixedTime(new Date('2026-03-31T17:00:00Z'));
      await page.goto('/apps/bday_test/forms/visit');
      await page.getByRole('link', { name: '新建' }).click();
      await page.getByRole('heading', { name: '新建拜访' }).waitFor();
      await page.getByLabel('名称', { exact: true }).fill('x');
      await page.getByLabel('四月一日说明', { exact: true }).waitFor();
      expect(await page.getByLabel('三月末说明', { exact: true }).count()).toBe(0);
    });
  });
});
