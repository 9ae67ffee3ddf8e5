import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { JoineryError, type Locale, pickLocale } from '@joinery/shared';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { RecordGuard } from '../access/record-guard.ts';
import { auditRequest } from '../audit/request-audit.ts';
import type { JoineryDatabase } from '../database/schema.ts';
import { errorResponses, Uuid } from '../http/schemas.ts';
import { type ImportProblem, RecordImporter } from './import/record-importer.ts';
import { exportRecords } from './record-export.ts';
import { FormParams, ListQuery } from './record-schemas.ts';
import type { RecordService } from './record-service.ts';
import { writeContext } from './records.routes.ts';

/** The largest import file accepted (bytes). */
export const IMPORT_MAX_BYTES = 100 * 1024 * 1024;

const ImportJob = Type.Object({
  id: Type.String(),
  status: Type.String({
    description: 'running, succeeded, failed (nothing imported) or checked (dry run)',
  }),
  format: Type.String(),
  mode: Type.String(),
  totalRows: Type.Integer(),
  processedRows: Type.Integer(),
  insertedRows: Type.Integer(),
  invalidRows: Type.Integer(),
  problems: Type.Array(
    Type.Object({ row: Type.Integer(), field: Type.String(), message: Type.String() }),
  ),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

function describeProblem(problem: ImportProblem, locale: Locale): string {
  return locale === 'zh-CN'
    ? `第 ${problem.row} 行，字段 ${problem.field}：${problem.message['zh-CN']}`
    : `row ${problem.row}, field ${problem.field}: ${problem.message.en}`;
}

/**
 * Import (CSV/XLSX upload, with a mapping, dry run, all-or-nothing or skip-invalid, progress in
 * a pollable job) and streamed export of any filtered list.
 */
export const importRoutes: FastifyPluginAsyncTypebox<{
  db: Kysely<JoineryDatabase>;
  records: RecordService;
  dataDir: string;
}> = async (app, { db, records, dataDir }) => {
  await app.register(fastifyMultipart, {
    limits: { files: 1, fields: 5, parts: 6, fieldSize: 1024, headerPairs: 100 },
  });
  const importer = new RecordImporter(db, records.forms);
  const base = '/api/apps/:app/forms/:form';

  const jobView = async (id: string, locale: Locale) => {
    const row = await db
      .selectFrom('joinery.import_jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new JoineryError('JNY_IMPORT_JOB_NOT_FOUND', { id });
    return {
      id: row.id,
      status: row.status,
      format: row.format,
      mode: row.mode,
      totalRows: row.total_rows,
      processedRows: row.processed_rows,
      insertedRows: row.inserted_rows,
      invalidRows: row.invalid_rows,
      problems: (row.problems as ImportProblem[]).map((problem) => ({
        row: problem.row,
        field: problem.field,
        message: describeProblem(problem, locale),
      })),
      createdAt: row.created_at.toISOString(),
      finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
    };
  };

  app.post(
    `${base}/imports`,
    {
      config: { access: 'user' },
      schema: {
        tags: ['records'],
        summary: 'Import a CSV or XLSX file (multipart field `file`) into the form',
        description:
          'mapping: JSON {"column header": "field key"} (other columns map by key or label). ' +
          'dryRun validates only. all-or-nothing imports nothing if any row is invalid and ' +
          'answers 400 listing "row N, field F: reason"; skip-invalid imports the valid rows. ' +
          'wait=false answers 202 at once; poll GET …/imports/:id for progress.',
        consumes: ['multipart/form-data'],
        params: FormParams,
        querystring: Type.Object(
          {
            format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])),
            mode: Type.Optional(
              Type.Union([Type.Literal('all-or-nothing'), Type.Literal('skip-invalid')]),
            ),
            dryRun: Type.Optional(Type.Boolean()),
            wait: Type.Optional(Type.Boolean()),
            mapping: Type.Optional(Type.String({ maxLength: 20_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ImportJob, 202: ImportJob, 413: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const form = await records.forms.get(request.params.app, request.params.form);
      const guard = await RecordGuard.of(request, db, records.forms, form);
      guard.require('import').require('create');
      const context = writeContext(request);
      const { mode = 'all-or-nothing', dryRun = false, wait = true } = request.query;
      const mapping = parseMapping(request.query.mapping);
      if (!request.isMultipart()) throw new JoineryError('JNY_FILE_MISSING');
      const part: MultipartFile | undefined = await request.file({
        limits: { fileSize: IMPORT_MAX_BYTES, files: 1 },
      });
      if (part?.fieldname !== 'file') {
        part?.file.resume();
        throw new JoineryError('JNY_FILE_MISSING');
      }
      const format = request.query.format ?? (/\.xlsx$/i.test(part.filename) ? 'xlsx' : 'csv');
      // The upload is spooled to a private temporary file (streamed), so the import can run
      // after the response when wait=false, and the request body is never held in memory.
      const spoolDir = join(dataDir, 'tmp');
      await mkdir(spoolDir, { recursive: true });
      const dir = await mkdtemp(join(spoolDir, 'import-'));
      const path = join(dir, 'upload');
      try {
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated) {
          throw new JoineryError('JNY_IMPORT_TOO_LARGE', {
            reason: `over ${IMPORT_MAX_BYTES} bytes`,
          });
        }
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      const job = await db
        .insertInto('joinery.import_jobs')
        .values({
          form_id: form.formId,
          format,
          mode,
          status: 'running',
          created_by: context.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const running = importer
        .run(
          job.id,
          form,
          createReadStream(path),
          { format, mode, dryRun, ...(mapping && { mapping }) },
          context,
        )
        .finally(() => rm(dir, { recursive: true, force: true }));
      if (!wait) {
        running.catch((error: unknown) => request.log.warn({ err: error }, 'import failed'));
        return reply.status(202).send(await jobView(job.id, context.locale));
      }
      const outcome = await running;
      const view = await jobView(job.id, context.locale);
      if (outcome.status === 'failed' && outcome.invalidRows > 0) {
        throw new JoineryError(
          'JNY_IMPORT_ROWS_INVALID',
          { count: outcome.invalidRows },
          view.problems
            .slice(0, 200)
            .map((p) => ({ field: `rows/${p.row}/${p.field}`, reason: p.message })),
        );
      }
      return view;
    },
  );

  app.get(
    `${base}/imports/:id`,
    {
      config: { access: 'user' },
      schema: {
        tags: ['records'],
        summary: 'An import job: status, counts (progress) and invalid rows',
        params: Type.Object(
          { app: FormParams.properties.app, form: FormParams.properties.form, id: Uuid },
          { additionalProperties: false },
        ),
        response: { 200: ImportJob, ...errorResponses },
      },
    },
    async (request) => jobView(request.params.id, pickLocale(request.headers['accept-language'])),
  );

  app.get(
    `${base}/export`,
    {
      config: { access: 'user' },
      schema: {
        tags: ['records'],
        summary: 'Export the records a list query selects, streamed as CSV or XLSX',
        params: FormParams,
        querystring: Type.Object(
          {
            ...ListQuery.properties,
            format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])),
          },
          { additionalProperties: false },
        ),
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: { 200: Type.Unknown({ description: 'The file' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const form = await records.forms.get(request.params.app, request.params.form);
      const guard = await RecordGuard.of(request, db, records.forms, form);
      guard.require('export').assertReadableSort(request.query.sort);
      const { format = 'csv', cursor: _cursor, limit: _limit, ...query } = request.query;
      const filter = await guard.scopedFilter('export', query.filter);
      const options = { ...query, ...(filter !== undefined && { filter }) };
      const context = guard.readContext();
      // Checked before streaming starts, so a bad filter or sort is still a clean 400.
      await records.list(form, { ...options, limit: 1 }, context);
      await auditRequest(db, request, 'record.export', `${form.appKey}.${form.formKey}`, {
        format,
        filter: options.filter ?? null,
      });
      const stream = exportRecords(
        records,
        form,
        options,
        format,
        context,
        (error) => request.log.error({ err: error }, 'export failed'),
        (items) => guard.present(items),
        (key) => guard.canRead(key),
      );
      const type =
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return reply
        .header('content-type', type)
        .header('content-disposition', `attachment; filename="${form.formKey}.${format}"`)
        .send(stream);
    },
  );
};

function parseMapping(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new JoineryError('JNY_IMPORT_MAPPING_INVALID', { reason: 'not JSON' });
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    Object.values(parsed).some((value) => typeof value !== 'string')
  ) {
    throw new JoineryError('JNY_IMPORT_MAPPING_INVALID', {
      reason: 'an object of column header → field key',
    });
  }
  return parsed as Record<string, string>;
}
