import { formatText, type Locale, type LocalizedText } from '../locale.ts';
import { type ErrorCode, errorCatalogue } from './error-catalogue.ts';

/** One problem with one field of the input: its JSON pointer and the reason, in the locale. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/** A field problem as raised: the reason may be given in every language, resolved per request. */
export interface FieldProblemInput {
  readonly field: string;
  readonly reason: string | LocalizedText;
}

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly fields?: readonly FieldProblem[];
  };
}

/**
 * An error from the catalogue, raised anywhere (engines included) and turned into an HTTP answer
 * by the server: the status and the zh-CN/en message come from the catalogue entry.
 */
export class JoineryError extends Error {
  override readonly name = 'JoineryError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly params: Readonly<Record<string, unknown>> = {},
    readonly fields: readonly FieldProblemInput[] = [],
  ) {
    super(formatText(errorCatalogue[code].message.en, params));
    this.status = errorCatalogue[code].status;
  }

  /** The message in the requested language. */
  localized(locale: Locale): string {
    return formatText(errorCatalogue[this.code].message[locale], this.params);
  }

  /** The response body in the requested language. */
  toBody(locale: Locale): ErrorBody {
    const message = this.localized(locale);
    const fields = this.fields.map((problem) => ({
      field: problem.field,
      reason: typeof problem.reason === 'string' ? problem.reason : problem.reason[locale],
    }));
    return {
      error:
        fields.length > 0 ? { code: this.code, message, fields } : { code: this.code, message },
    };
  }
}

export function isJoineryError(error: unknown): error is JoineryError {
  return error instanceof Error && error.name === 'JoineryError';
}
