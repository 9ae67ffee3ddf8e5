import { createHash } from 'node:crypto';

/** The namespace of task ids (a fixed random UUID, RFC 9562 name-based ids). */
const NAMESPACE = Buffer.from('6f1c1d5e8a0b4c3f9e2d7b6a5c4d3e2f', 'hex');

/**
 * The API id of an instance's task: a name-based (v5) UUID of the instance id and the engine's
 * task key. Deterministic, so a step can answer with its open tasks straight from the engine's
 * state, without reading them back; unguessable, because instance ids are random.
 */
export function taskUuid(instanceId: string, taskKey: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${instanceId}/${taskKey}`).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
