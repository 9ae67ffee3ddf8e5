/**
 * An error whose message is written for the person starting Joinery: the CLI prints it as one
 * line and exits non-zero, without a stack trace. Use it for problems of configuration or
 * environment (a busy port, an unwritable directory, an unreachable database), never for bugs.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** True for errors the CLI should show as a single clear message. */
export function isStartupError(error: unknown): error is StartupError {
  return error instanceof Error && error.name === 'StartupError';
}
