import type { LocalizedText } from '../locale.ts';

/**
 * Why an error happened, after n8n's classification: `user` — the client sent something wrong
 * (4xx, never retried); `transient` — a passing fault, worth retrying; `bug` — Joinery's own fault.
 */
export type ErrorCause = 'user' | 'transient' | 'bug';

/** One entry of the error catalogue. Messages may hold `{name}` placeholders. */
export interface ErrorDefinition {
  readonly status: number;
  readonly cause: ErrorCause;
  readonly message: LocalizedText;
}

const CODE_PATTERN = /^JNY_[A-Z]+_[A-Z_]+$/;

/**
 * Declares a group of catalogue entries. Checks at load time that every code follows
 * `JNY_<AREA>_<REASON>`, and that user errors are 4xx while other causes are 5xx.
 */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(entries: T): T {
  for (const [code, definition] of Object.entries(entries)) {
    if (!CODE_PATTERN.test(code)) throw new Error(`Error code ${code} is not JNY_<AREA>_<REASON>`);
    const clientStatus = definition.status >= 400 && definition.status < 500;
    if ((definition.cause === 'user') !== clientStatus) {
      throw new Error(
        `Error ${code}: cause ${definition.cause} does not fit status ${definition.status}`,
      );
    }
  }
  return Object.freeze(entries);
}
