import { describe, expect, it } from 'vitest';
import { createClock } from '../src/clock/clock.ts';
import { loadConfig } from '../src/config/config.ts';

// The one injectable clock: real time normally; a clock that only moves forward in the explicit
// test mode, which production refuses.

describe('the workflow clock', () => {
  it('is the system clock unless the test clock is asked for', () => {
    const clock = createClock({ testClock: false, nodeEnv: undefined, utcOffsetMinutes: 480 });
    expect(clock.adjustable).toBe(false);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(() => clock.advance(1000)).toThrow();
  });

  it('moves forward only, in test mode', () => {
    const clock = createClock({ testClock: true, nodeEnv: 'test', utcOffsetMinutes: 480 });
    const before = clock.now().getTime();
    const after = clock.advance(86_400_000).getTime();
    expect(after - before).toBeGreaterThanOrEqual(86_400_000);
    expect(() => clock.advance(-1)).toThrow(/forward/);
  });

  it('is refused at start in production', () => {
    const config = loadConfig({ JOINERY_TEST_CLOCK: 'true', NODE_ENV: 'production' });
    expect(() => createClock({ ...config, utcOffsetMinutes: 480 })).toThrow(
      /refused when NODE_ENV=production/,
    );
  });

  it('has no test routes unless the test clock is on', async () => {
    const { createTestApp } = await import('./test-app.ts');
    const t = await createTestApp();
    try {
      const admin = await t.login('admin', t.adminPassword);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/test/clock/advance',
        headers: admin.headers,
        payload: { seconds: 60 },
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
