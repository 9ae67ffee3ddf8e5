import { isRecord, readNumber, readStrings } from './config-reader.ts';
import { defineFieldType, type Normalised } from './define-field-type.ts';

/**
 * A reference to a stored file. The engine validates the reference and the declared limits;
 * storing, streaming and checking the real bytes against `size` and `mime` is the server's job.
 */
export interface FileReference {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
}

/** Limits a file field declares, for the server's upload route and the validator. */
export interface FileLimits {
  readonly maxFiles: number;
  readonly maxSize: number;
  /** Accepted MIME types; `image/*` style wildcards allowed. Empty: any. */
  readonly accept: readonly string[];
}

const FILE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
const BAD_NAME = /[\u0000-\u001f\u007f/\\]/;

/** True when `mime` is one of `accept` (exact or `type/*`), or `accept` is empty. */
export function mimeAccepted(mime: string, accept: readonly string[]): boolean {
  if (accept.length === 0) return true;
  return accept.some((pattern) =>
    pattern.endsWith('/*') ? mime.startsWith(pattern.slice(0, -1)) : mime === pattern,
  );
}

/** Checks a list of file references against the limits. */
export function normaliseFiles(value: unknown, limits: FileLimits): Normalised {
  if (!Array.isArray(value)) return { ok: false, rule: 'type', params: { expected: 'files' } };
  if (value.length > limits.maxFiles) {
    return { ok: false, rule: 'maxItems', params: { limit: limits.maxFiles } };
  }
  const files: FileReference[] = [];
  for (const item of value) {
    if (!isRecord(item)) return { ok: false, rule: 'type', params: { expected: 'files' } };
    const { id, name, size, mime } = item;
    const extra = Object.keys(item).some((key) => !['id', 'name', 'size', 'mime'].includes(key));
    if (
      extra ||
      typeof id !== 'string' ||
      !FILE_ID.test(id) ||
      typeof name !== 'string' ||
      name.length === 0 ||
      name.length > 255 ||
      BAD_NAME.test(name) ||
      typeof size !== 'number' ||
      !Number.isSafeInteger(size) ||
      size < 0 ||
      typeof mime !== 'string' ||
      !MIME.test(mime)
    ) {
      return { ok: false, rule: 'format', params: { format: 'file' } };
    }
    if (size > limits.maxSize) {
      return { ok: false, rule: 'fileSize', params: { name, limit: limits.maxSize } };
    }
    if (!mimeAccepted(mime, limits.accept))
      return { ok: false, rule: 'fileType', params: { name, mime } };
    files.push(Object.freeze({ id, name, size, mime }));
  }
  return { ok: true, value: files.length === 0 ? null : files };
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/**
 * Reads the limits of an attachment (default: 10 files of 50 MB, any type) or image field
 * (default: 10 images of 10 MB, PNG/JPEG/WebP/GIF) from its config.
 */
export function readFileLimits(
  raw: Readonly<Record<string, unknown>>,
  kind: 'attachment' | 'image',
): FileLimits {
  const image = kind === 'image';
  return {
    maxFiles: readNumber(raw, 'maxFiles', 10),
    maxSize: readNumber(raw, 'maxSize', (image ? 10 : 50) * 1024 * 1024),
    accept: readStrings(raw, 'accept', image ? IMAGE_TYPES : []),
  };
}

const fileConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxFiles: { type: 'integer', minimum: 1, maximum: 100 },
    maxSize: { type: 'integer', minimum: 1, maximum: 1_073_741_824 },
    accept: {
      type: 'array',
      maxItems: 50,
      items: { type: 'string', pattern: '^[a-z0-9.+-]+/([a-z0-9.+-]+|\\*)$' },
    },
  },
};

const fileValueSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'size', 'mime'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      size: { type: 'integer' },
      mime: { type: 'string' },
    },
  },
};

/** Attachment: up to 10 files of 50 MB by default, any type; `jsonb` column. */
export const attachmentField = defineFieldType<FileLimits>({
  type: 'attachment',
  version: 1,
  label: { 'zh-CN': '附件', en: 'Attachment' },
  configSchema: fileConfigSchema,
  readConfig: (raw) => readFileLimits(raw, 'attachment'),
  storage: 'column',
  input: true,
  validations: ['required', 'minItems', 'maxItems'],
  columnType: () => 'jsonb',
  valueSchema: () => fileValueSchema,
  normalise: (value, limits) => normaliseFiles(value, limits),
  filterable: false,
  sortable: false,
  ruleType: () => 'json',
});

/** Image: up to 10 images of 10 MB by default, PNG, JPEG, WebP or GIF; `jsonb` column. */
export const imageField = defineFieldType<FileLimits>({
  type: 'image',
  version: 1,
  label: { 'zh-CN': '图片', en: 'Image' },
  configSchema: fileConfigSchema,
  readConfig: (raw) => readFileLimits(raw, 'image'),
  storage: 'column',
  input: true,
  validations: ['required', 'minItems', 'maxItems'],
  columnType: () => 'jsonb',
  valueSchema: () => fileValueSchema,
  normalise: (value, limits) => normaliseFiles(value, limits),
  filterable: false,
  sortable: false,
  ruleType: () => 'json',
});
