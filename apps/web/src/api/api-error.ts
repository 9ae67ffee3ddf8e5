import type { ErrorBody, ErrorCode, FieldProblem } from '@joinery/shared';

/**
 * A failed API call, with the server's coded error: forms put `fields` on their inputs and show
 * `message` (already in the UI language, the server localises by `Accept-Language`).
 * `status` is 0 when no answer arrived at all.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
  }

  /** The reasons given for one field, named by its JSON pointer (`/username`). */
  reasonsFor(field: string): string[] {
    return this.fields.filter((problem) => problem.field === field).map((p) => p.reason);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** True when `value` has the shape of Joinery's error body (`{ error: { code, message } }`). */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  if (typeof error !== 'object' || error === null) return false;
  if (!('code' in error) || typeof error.code !== 'string') return false;
  if (!('message' in error) || typeof error.message !== 'string') return false;
  return !('fields' in error) || error.fields === undefined || Array.isArray(error.fields);
}
