import { describe, expect, it } from 'vitest';
import { cronProblem } from '../index.ts';

describe('cronProblem', () => {
  it.each([
    '* * * * *',
    '0 9 * * MON-FRI',
    '*/15 8-18 * * 1-5',
    '0 0 1 JAN,JUL *',
    '30 0 9 * * *',
    '@daily',
    '0 0 ? * 7',
  ])('accepts %s', (cron) => expect(cronProblem(cron)).toBeNull());
  it.each([
    '',
    '* * * *',
    '60 * * * *',
    '* 24 * * *',
    '* * 0 * *',
    '* * * 13 *',
    '5-1 * * * *',
    '*/0 * * * *',
    '@sometimes',
    'a b c d e',
  ])('refuses %s', (cron) => expect(cronProblem(cron)).not.toBeNull());
});
