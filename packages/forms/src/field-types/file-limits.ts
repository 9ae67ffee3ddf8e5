import type { FieldDefinition } from '../schema/app-definition.ts';
import { type FileLimits, readFileLimits } from './file-types.ts';

/**
 * The upload limits of an attachment or image field (how many files, bytes per file, accepted
 * MIME types), for the server's upload route to enforce while streaming; null for other fields.
 */
export function fileLimitsOf(field: FieldDefinition): FileLimits | null {
  if (field.type !== 'attachment' && field.type !== 'image') return null;
  return readFileLimits(field.config ?? {}, field.type);
}
