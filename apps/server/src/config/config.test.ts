import { isStartupError } from '@joinery/postgres';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const config = loadConfig({}, '/srv/joinery');
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      dataDir: '/srv/joinery/data',
      embeddedPgPort: 0,
      adminPassword: undefined,
      cookieSecure: false,
      demo: false,
      utcOffsetMinutes: 480,
    });
    expect(loadConfig({ JOINERY_UTC_OFFSET_MINUTES: '-300' }).utcOffsetMinutes).toBe(-300);
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535'],
    [{ JOINERY_COOKIE_SECURE: 'maybe' }, 'JOINERY_COOKIE_SECURE must be true or false'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL is not a valid URL'],
    [{ JOINERY_UTC_OFFSET_MINUTES: '900' }, 'JOINERY_UTC_OFFSET_MINUTES must be a whole number'],
  ])('refuses %o with a message naming the variable', (env, message) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (error) {
      expect(isStartupError(error)).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });
});
