import { describe, expect, it } from 'vitest';
import { fileLimitsOf } from '../field-types/file-limits.ts';
import { validateAppDefinition } from '../schema/validate-app-definition.ts';
import { serialCounterKey } from '../serial/serial-counter-key.ts';
import { formatSerial } from '../serial/serial-pattern.ts';
import { field, lendingApp } from '../testing/lending-app.fixture.ts';
import { recordFromRow } from './record-from-row.ts';

const app = validateAppDefinition(lendingApp);
if (!app.ok) throw new Error('fixture');
const application = app.value.forms[1];
if (!application) throw new Error('fixture');

describe('server helpers', () => {
  it('turns a pg row into the API record, dropping deleted fields and unknown columns', () => {
    const created = new Date('2026-11-22T01:02:03.004Z');
    const form = {
      ...application,
      fields: application.fields.map((f) => (f.key === 'term' ? { ...f, deleted: true } : f)),
    };
    const record = recordFromRow(form, {
      id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      created_at: created,
      updated_at: created,
      version: 3,
      owner: null,
      amount: '1200.5',
      term: '12',
      signed_on: new Date(2026, 10, 22),
      secret_column: 'x',
    });
    expect(record).toMatchObject({
      amount: '1200.50',
      signed_on: '2026-11-22',
      version: 3,
      created_at: '2026-11-22T01:02:03.004Z',
    });
    expect(record).not.toHaveProperty('term');
    expect(record).not.toHaveProperty('secret_column');
  });

  it('exposes file limits and serial counter keys', () => {
    expect(fileLimitsOf(field('x', 'photos', 'image', { config: { maxFiles: 2 } }))).toEqual({
      maxFiles: 2,
      maxSize: 10 * 1024 * 1024,
      accept: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
    });
    expect(fileLimitsOf(field('x', 'name', 'text'))).toBeNull();
    const serial = application.fields[0];
    if (!serial) throw new Error('fixture');
    expect(serialCounterKey('lending', 'loan_application', serial, '2026-11-22')).toBe(
      'lending/loan_application/a1/LA-20261122-{n}',
    );
    expect(formatSerial(String(serial.config?.pattern), '2026-11-22', 1)).toBe('LA-20261122-0001');
  });
});
