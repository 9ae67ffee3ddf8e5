import { createReadStream } from 'node:fs';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type FileLimits, mimeAccepted } from '@joinery/forms';
import { JoineryError } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { auditRequest } from '../audit/request-audit.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses, Uuid } from '../http/schemas.ts';
import type { RecordService } from '../records/record-service.ts';
import { downloadGrant } from './file-access.ts';
import { fileFieldOf } from './file-fields.ts';
import { contentDisposition, type FileStore, looksLike, safeFileName } from './file-store.ts';
import { assertMayUpload, type DelegatedTasksOf } from './upload-rights.ts';

const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
/** A form field (`docs`) or a field of a subform's rows (`guarantors.scan`). */
const FieldKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}(\\.[a-z][a-z0-9_]{0,62})?$' });
const FileReference = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  mime: Type.String(),
  sha256: Type.String(),
});
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * Attachment and image uploads, streamed to the data directory within the field's size and type
 * limits (images must also look like the image type they claim), and downloads with the stored
 * type and a sanitised `Content-Disposition: attachment` (never rendered inline by the browser).
 */
export const fileRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  records: RecordService;
  files: FileStore;
  delegatedOf: DelegatedTasksOf;
}> = async (app, { db, records, files, delegatedOf }) => {
  await app.register(fastifyMultipart, {
    limits: { files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 100 },
  });

  app.post(
    '/api/apps/:app/forms/:form/files',
    {
      config: { access: 'user' },
      schema: {
        tags: ['files'],
        summary:
          'Upload one file (multipart field `file`) for an attachment or image field the caller may write (of `record`, or for `task`)',
        consumes: ['multipart/form-data'],
        params: Type.Object({ app: Key, form: Key }, { additionalProperties: false }),
        querystring: Type.Object(
          { field: FieldKey, record: Type.Optional(Uuid), task: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: {
          201: FileReference,
          413: errorResponses[400],
          415: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const form = await records.forms.get(request.params.app, request.params.form);
      const fieldKey = request.query.field;
      const field = fileFieldOf(form, fieldKey);
      if (!field) throw new JoineryError('JNY_FILE_FIELD_INVALID', { field: fieldKey });
      await assertMayUpload(request, db, records, form, field, request.query, delegatedOf);
      const type = field.definition.type === 'image' ? 'image' : 'attachment';
      const limits = fileLimits(field.definition.config ?? {}, type);
      if (!request.isMultipart()) throw new JoineryError('JNY_FILE_MISSING');
      const part = await request.file({ limits: { fileSize: limits.maxSize, files: 1 } });
      if (part?.fieldname !== 'file') {
        part?.file.resume();
        throw new JoineryError('JNY_FILE_MISSING');
      }
      const mime = part.mimetype.toLowerCase();
      if (!MIME.test(mime) || !mimeAccepted(mime, limits.accept)) {
        part.file.resume();
        throw new JoineryError('JNY_FILE_TYPE_REFUSED', {
          field: fieldKey,
          mime: mime.slice(0, 100),
        });
      }
      const stored = await files.write(part.file, () => part.file.truncated);
      if (!stored) {
        throw new JoineryError('JNY_FILE_TOO_LARGE', { field: fieldKey, limit: limits.maxSize });
      }
      if (!looksLike(mime, stored.head)) {
        await files.remove(stored.storagePath);
        throw new JoineryError('JNY_FILE_TYPE_REFUSED', { field: fieldKey, mime });
      }
      const name = safeFileName(part.filename);
      await db
        .insertInto('joinery.files')
        .values({
          id: stored.id,
          form_id: form.formId,
          field_key: fieldKey,
          storage_path: stored.storagePath,
          name,
          mime,
          size: stored.size,
          sha256: stored.sha256,
          uploaded_by: principalOf(request).userId,
        })
        .execute();
      return reply
        .status(201)
        .send({ id: stored.id, name, size: stored.size, mime, sha256: stored.sha256 });
    },
  );

  app.get(
    '/api/files/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['files'],
        summary:
          'Download a file: for readers of a record (and field) holding it, or its uploader while nothing holds it',
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        produces: ['application/octet-stream'],
        response: { 200: Type.Unknown({ description: 'The file bytes' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await db
        .selectFrom('joinery.files')
        .select([
          'id',
          'form_id',
          'field_key',
          'uploaded_by',
          'storage_path',
          'name',
          'mime',
          'size',
        ])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!file) throw new JoineryError('JNY_FILE_NOT_FOUND', { id: request.params.id });
      const grant = await downloadGrant(request, db, records, file);
      if (grant.via !== 'uploader') {
        const { via: _via, ...through } = grant;
        await auditRequest(db, request, 'file.download', `file:${file.id}`, {
          name: file.name,
          ...through,
        });
      }
      const stream = createReadStream(files.pathOf(file.storage_path));
      return reply
        .header('content-type', file.mime)
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition(file.name))
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );
};

/** A file field's limits, with the type's defaults (as the form engine reads them). */
export function fileLimits(
  config: Readonly<Record<string, unknown>>,
  type: 'attachment' | 'image',
): FileLimits {
  const number = (value: unknown, fallback: number) =>
    typeof value === 'number' && Number.isSafeInteger(value) ? value : fallback;
  const accept = Array.isArray(config.accept)
    ? config.accept.filter((item): item is string => typeof item === 'string')
    : type === 'image'
      ? ['image/png', 'image/jpeg', 'image/webp', 'image/gif']
      : [];
  return {
    maxFiles: number(config.maxFiles, 10),
    maxSize: number(config.maxSize, (type === 'image' ? 10 : 50) * 1024 * 1024),
    accept,
  };
}
