import { JoineryError } from '@joinery/shared';
import { CipherError, type FieldCipher } from './field-cipher.ts';

/**
 * The identity a sensitive value is bound to (the AES-GCM associated data and the blind index's
 * domain): app, form and the field's stable id — never its key, so a rename keeps values
 * readable, while a value copied into another field, form or app does not decrypt.
 */
export function fieldIdentity(appKey: string, formKey: string, fieldId: string): string {
  return `${appKey}.${formKey}.${fieldId}`;
}

/** A sensitive value as stored: the ciphertext and the keyed hash for equality search. */
export interface SealedValue {
  readonly stored: string;
  readonly index: string;
}

/**
 * Encrypts and decrypts the values of one sensitive field. Values are the field type's
 * normalised text (validation has run on the clear value before), so equal values have equal
 * blind indexes. A stored value that fails its integrity check is a catalogue error naming the
 * field, never a stack trace.
 */
export class SensitiveField {
  constructor(
    private readonly cipher: FieldCipher,
    readonly identity: string,
    private readonly fieldKey: string,
  ) {}

  seal(value: string): SealedValue {
    return { stored: this.cipher.encrypt(value, this.identity), index: this.index(value) };
  }

  index(value: string): string {
    return this.cipher.blindIndex(value, this.identity);
  }

  open(stored: string): string {
    try {
      return this.cipher.decrypt(stored, this.identity);
    } catch (error) {
      if (!(error instanceof CipherError)) throw error;
      throw new JoineryError('JNY_FIELD_VALUE_UNREADABLE', {
        field: this.fieldKey,
        reason: error.message,
      });
    }
  }

  /** True when the stored value is under an older key (`keys rotate` re-encrypts it). */
  isStale(stored: string): boolean {
    return this.cipher.isStale(stored);
  }
}
