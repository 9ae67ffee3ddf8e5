import { describe, expect, it } from 'vitest';
import { CipherError, FieldCipher, generateKeyringFile, keyringFrom } from './field-cipher.ts';

const file = generateKeyringFile();
const cipher = new FieldCipher(keyringFrom(file));

describe('FieldCipher', () => {
  it('round-trips and never stores the clear value', () => {
    const stored = cipher.encrypt('110101199003071234', 'crm.customer.id_number');
    expect(stored).not.toContain('1101011990');
    expect(stored).toMatch(/^jny1:k1:/);
    expect(cipher.decrypt(stored, 'crm.customer.id_number')).toBe('110101199003071234');
    expect(cipher.encrypt('same', 'f')).not.toBe(cipher.encrypt('same', 'f'));
  });

  it('detects any change to the stored value, and values moved to another field', () => {
    const stored = cipher.encrypt('13812341234', 'crm.customer.mobile');
    const body = stored.split(':')[3] ?? '';
    const flipped = `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    const tampered = stored.replace(body, flipped);
    expect(() => cipher.decrypt(tampered, 'crm.customer.mobile')).toThrow(CipherError);
    expect(() => cipher.decrypt(stored, 'crm.customer.bank_account')).toThrow(CipherError);
    expect(() => cipher.decrypt('plain text', 'crm.customer.mobile')).toThrow(CipherError);
  });

  it('reads values under old keys after rotation and keeps blind indexes stable', () => {
    const rotatedFile = {
      current: 'k2',
      keys: { ...file.keys, k2: Buffer.alloc(32, 7).toString('base64') },
    };
    const rotated = new FieldCipher(keyringFrom(rotatedFile));
    const old = cipher.encrypt('6222021234567890123', 'f');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.decrypt(old, 'f')).toBe('6222021234567890123');
    const fresh = rotated.encrypt('6222021234567890123', 'f');
    expect(rotated.isStale(fresh)).toBe(false);
    expect(rotated.blindIndex('x', 'f')).toBe(cipher.blindIndex('x', 'f'));
    expect(cipher.blindIndex('x', 'f')).not.toBe(cipher.blindIndex('x', 'g'));
  });

  it('refuses bad keyrings with a clear reason', () => {
    expect(() => keyringFrom({ current: 'k1', keys: {} })).toThrow('no keys');
    expect(() => keyringFrom({ current: 'k1', keys: { k1: 'c2hvcnQ=' } })).toThrow('32 bytes');
    expect(() => keyringFrom({ current: 'k9', keys: file.keys })).toThrow('current key');
  });
});
