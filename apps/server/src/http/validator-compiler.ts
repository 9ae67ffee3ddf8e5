import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

const common: Options = {
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  strict: false,
};

/**
 * JSON bodies are validated exactly: a number where a string is expected is an error, never
 * silently converted. Query strings, path parameters and headers arrive as text, so there (and
 * only there) values are coerced to the declared types.
 */
export function installValidatorCompiler(app: FastifyInstance): void {
  const exact = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) =>
    (httpPart === 'body' ? exact : coercing).compile(schema),
  );
}
