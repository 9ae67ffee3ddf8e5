import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import { appendAudit } from './audit-log.ts';

/**
 * Records what the caller of `request` did. Pass the business transaction as `db` so the entry
 * commits (or not) with the change it describes.
 */
export function auditRequest(
  db: Kysely<JoineryDatabase> | Transaction<JoineryDatabase>,
  request: FastifyRequest,
  action: string,
  target: string | null,
  details: Readonly<Record<string, unknown>> = {},
): Promise<void> {
  return appendAudit(db, {
    action,
    actorId: request.principal?.userId ?? null,
    actorName: request.principal?.username ?? null,
    target,
    ip: request.ip,
    details: request.principal?.via === 'token' ? { ...details, via: 'api-token' } : details,
  });
}
