import pino, { type Logger } from 'pino';

/**
 * The process logger: JSON lines (pipe through pino-pretty to read them). Secrets never reach a
 * log line: credentials, cookies and tokens are redacted wherever they appear in request logs.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}
