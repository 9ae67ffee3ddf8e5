import {
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { StartupError } from '@joinery/postgres';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import {
  FieldCipher,
  generateKeyringFile,
  type Keyring,
  type KeyringFile,
  keyringFrom,
} from './field-cipher.ts';

/**
 * How often a running server looks at the key file's modification time, at most; a value under
 * a key it does not know makes it look at once.
 */
export const RECHECK_MS = 1000;

/**
 * The cipher of sensitive fields, from `JOINERY_ENCRYPTION_KEY` (one fixed key) or else the key
 * file — created with one random key (mode 600) on first start, so a fresh install works out of
 * the box. A key file is followed while the server runs: when `joinery keys rotate` rewrites it,
 * this process reads values under the new key and writes with it within a second, so reads never
 * stop during a rotation. Read synchronously: it runs once, while the server is built.
 */
export function loadFieldCipher(config: Config, logger: Pick<Logger, 'warn'>): FieldCipher {
  if (config.encryptionKey) {
    try {
      return new FieldCipher(keyringFrom({ current: 'k1', keys: { k1: config.encryptionKey } }));
    } catch (error) {
      throw new StartupError(`JOINERY_ENCRYPTION_KEY is invalid: ${(error as Error).message}`);
    }
  }
  const file = config.encryptionKeyFile;
  if (createKeyFileIfMissing(file)) {
    logger.warn(
      { file },
      'created a new encryption key file for sensitive fields; back it up — without it encrypted values are lost',
    );
  }
  let keyring = readKeyringFile(file);
  let modified = modifiedAt(file);
  let checkedAt = Date.now();
  return new FieldCipher((fresh) => {
    const now = Date.now();
    if (!fresh && now - checkedAt < RECHECK_MS) return keyring;
    checkedAt = now;
    const latest = modifiedAt(file);
    if (latest !== modified) {
      // A half-written or broken file keeps the keyring already in use (rotate writes atomically).
      try {
        keyring = readKeyringFile(file);
        modified = latest;
      } catch {
        /* keep the last good keyring */
      }
    }
    return keyring;
  });
}

/** Reads and checks a key file; a problem is a StartupError naming the file. */
export function readKeyringFile(file: string): Keyring {
  return keyringFrom(readKeyringText(file));
}

/** The key file as written (for `keys rotate`, which adds a key to it). */
export function readKeyringText(file: string): KeyringFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(
      `Cannot read the encryption key file ${file}: ${(error as Error).message}`,
    );
  }
  try {
    const parsed = JSON.parse(text) as KeyringFile;
    keyringFrom(parsed);
    return parsed;
  } catch (error) {
    throw new StartupError(
      `The encryption key file ${file} is invalid: ${(error as Error).message}`,
    );
  }
}

/**
 * Replaces the key file atomically (written beside it, then renamed over it), so a server
 * reading it sees the old keyring or the new one, never half of one.
 */
export function writeKeyringFile(file: string, keyring: KeyringFile): void {
  keyringFrom(keyring);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * Creates the key file with one random key unless it exists; true when it created it. The file
 * is written beside and linked into place, so two processes starting at once agree on one key.
 */
function createKeyFileIfMissing(file: string): boolean {
  try {
    statSync(file);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StartupError(
        `Cannot read the encryption key file ${file}: ${(error as Error).message}`,
      );
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(generateKeyringFile(), null, 2)}\n`, {
    mode: 0o600,
  });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StartupError(
      `Cannot create the encryption key file ${file}: ${(error as Error).message}`,
    );
  } finally {
    unlinkSync(temporary);
  }
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}
