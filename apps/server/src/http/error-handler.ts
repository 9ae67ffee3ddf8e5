import { type ErrorCode, isJoineryError, JoineryError, pickLocale } from '@joinery/shared';
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validationProblems } from './validation-problems.ts';

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'JNY_REQUEST_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'JNY_REQUEST_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'JNY_REQUEST_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'JNY_REQUEST_MALFORMED_JSON',
};

/**
 * Installs the one place where errors become responses. Every answer is
 * `{ error: { code, message, fields? } }` in the caller's language; anything not from the
 * catalogue or a client mistake is a bug: logged with its stack, answered 500 with a reference.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toJoineryError(error, request);
    if (known.status >= 500) request.log.error({ err: error }, 'request failed');
    return send(reply, request, known);
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      request,
      new JoineryError('JNY_REQUEST_NOT_FOUND', { method: request.method, url: request.url }),
    ),
  );
}

function send(reply: FastifyReply, request: FastifyRequest, error: JoineryError): FastifyReply {
  const retryAfter = error.params.retryAfter;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply
    .status(error.status)
    .send(error.toBody(pickLocale(request.headers['accept-language'])));
}

function toJoineryError(error: FastifyError, request: FastifyRequest): JoineryError {
  if (isJoineryError(error)) return error;
  const locale = pickLocale(request.headers['accept-language']);
  if (error.validation) {
    const fields = validationProblems(
      error.validation as ErrorObject[],
      error.validationContext ?? 'body',
      locale,
    );
    const details = fields.map((f) => `${f.field} ${f.reason}`).join('; ');
    return new JoineryError('JNY_REQUEST_INVALID', { details }, fields);
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) {
    return new JoineryError(mapped, { contentType: request.headers['content-type'] ?? '' });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new JoineryError('JNY_REQUEST_INVALID', { details: error.message });
  }
  return new JoineryError('JNY_SERVER_INTERNAL', { requestId: request.id });
}
