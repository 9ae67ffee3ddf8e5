import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Keys for sensitive fields: the one new values are written with, and all still readable. */
export interface Keyring {
  readonly currentKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
  /** Key of the keyed hash used for equality search; it does not change when keys rotate. */
  readonly indexKey: Buffer;
}

/** The keyring now; `fresh` asks to re-read its source (a key id was not found). */
export type KeyringSource = (fresh: boolean) => Keyring;

const PREFIX = 'jny1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Thrown when a stored value was altered, or its key is missing. */
export class CipherError extends Error {
  override readonly name = 'CipherError';
}

/**
 * AES-256-GCM encryption of sensitive field values. A stored value is
 * `jny1:<keyId>:<iv>:<ciphertext+tag>` (base64url), so several keys can be readable at once and
 * rotation needs no downtime. The field's identity is bound as associated data: a value copied
 * into another field or table does not decrypt. Equality search uses an HMAC-SHA256 "blind
 * index" of the normalised value; ranges and sorting are impossible by design.
 */
export class FieldCipher {
  readonly #keyring: KeyringSource;

  /**
   * `keyring` may be a source, read at every use: a server then follows a key file that
   * `joinery keys rotate` changes while it runs (see `loadFieldCipher`).
   */
  constructor(keyring: Keyring | KeyringSource) {
    this.#keyring = typeof keyring === 'function' ? keyring : () => keyring;
  }

  private get keyring(): Keyring {
    return this.#keyring(false);
  }

  encrypt(plain: string, field: string): string {
    const keyId = this.keyring.currentKeyId;
    const key = this.key(keyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(field));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}:${keyId}:${iv.toString('base64url')}:${body.toString('base64url')}`;
  }

  decrypt(stored: string, field: string): string {
    const [prefix, keyId = '', ivText = '', bodyText = ''] = stored.split(':');
    if (prefix !== PREFIX) throw new CipherError('not an encrypted value');
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES)
      throw new CipherError('malformed encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), iv);
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new CipherError('encrypted value was tampered with or belongs to another field');
    }
  }

  /** True when a stored value is under an older key and should be re-encrypted. */
  isStale(stored: string): boolean {
    return stored.split(':')[1] !== this.keyring.currentKeyId;
  }

  /** The id of the key new values are written with. */
  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  /** The keyed hash for equality lookups (the caller normalises the value first). */
  blindIndex(value: string, field: string): string {
    return createHmac('sha256', this.keyring.indexKey).update(`${field}\n${value}`).digest('hex');
  }

  private key(keyId: string): Buffer {
    // A key id this process does not know may have just been added by a rotation: look again.
    const key = this.keyring.keys.get(keyId) ?? this.#keyring(true).keys.get(keyId);
    if (!key) throw new CipherError(`encryption key "${keyId}" is not configured`);
    return key;
  }
}

/** A keyring file: `{ "current": "k2", "keys": { "k1": "<base64 32 bytes>", "k2": "…" } }`. */
export interface KeyringFile {
  readonly current: string;
  readonly keys: Readonly<Record<string, string>>;
  /** Optional; by default derived from the first key listed, so rotation keeps lookups working. */
  readonly indexKey?: string;
}

/** Builds a keyring from its file form, checking every key; throws a message naming the problem. */
export function keyringFrom(file: KeyringFile): Keyring {
  const entries = Object.entries(file.keys);
  if (entries.length === 0) throw new Error('the keyring has no keys');
  const keys = new Map<string, Buffer>();
  for (const [id, text] of entries) {
    if (!KEY_ID.test(id)) throw new Error(`key id "${id}" must be 1–32 letters, digits, - or _`);
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes, base64-encoded`);
    keys.set(id, key);
  }
  if (!keys.has(file.current))
    throw new Error(`the current key "${file.current}" is not in the keyring`);
  const first = keys.get(entries[0]?.[0] ?? '') ?? Buffer.alloc(0);
  const indexKey = file.indexKey
    ? Buffer.from(file.indexKey, 'base64')
    : Buffer.from(hkdfSync('sha256', first, Buffer.alloc(0), 'joinery blind index', 32));
  if (indexKey.length !== 32) throw new Error('indexKey must be 32 bytes, base64-encoded');
  return { currentKeyId: file.current, keys, indexKey };
}

/** A new keyring file with one random key. */
export function generateKeyringFile(): KeyringFile {
  return { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
}
