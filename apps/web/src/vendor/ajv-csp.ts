import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';

/**
 * WARNING! A stand-in for `ajv`, used only in the browser build (`vite.config.ts` aliases `ajv`
 * to this file). ajv compiles every schema with `new Function`, which the app's Content
 * Security Policy forbids (`script-src 'self'`, no `unsafe-eval`): the form engine
 * (`@joinery/forms`) could not even be imported. This class keeps the small part of ajv's API
 * the engine calls (`addSchema`, `addFormat`, `addKeyword`, `compile`) and validates by
 * interpreting the schema with `@cfworker/json-schema`, which runs no generated code.
 *
 * It is a workaround until the form engine offers a CSP-safe path (schemas precompiled with
 * ajv's standalone mode, or no JSON schema in the record validator); the record validator only
 * uses it for the shape of a record (known keys, their count), every field check is the
 * engine's own code.
 */
export class Ajv {
  readonly #schemas: Schema[] = [];
  /** Read by ajv-formats; kept for shape. */
  readonly opts: { code: Record<string, unknown> } = { code: {} };

  addSchema(schema: Schema | readonly Schema[]): this {
    for (const one of Array.isArray(schema) ? schema : [schema]) this.#schemas.push(one);
    return this;
  }

  /** Formats are built into the interpreter. */
  addFormat(): this {
    return this;
  }

  addKeyword(): this {
    return this;
  }

  /** A validate function in ajv's shape: returns the verdict and keeps `errors`. */
  compile(schema: Schema): CompiledValidate {
    const validator = new Validator(schema, '2020-12', false);
    for (const known of this.#schemas) validator.addSchema(known);
    const validate: CompiledValidate = Object.assign(
      (data: unknown): boolean => {
        const result = validator.validate(data);
        validate.errors = result.valid ? null : result.errors.map(toAjvError);
        return result.valid;
      },
      { errors: null as AjvLikeError[] | null },
    );
    return validate;
  }
}

/** The fields of ajv's `ErrorObject` that the engine reads. */
export interface AjvLikeError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message: string;
}

type CompiledValidate = ((data: unknown) => boolean) & { errors: AjvLikeError[] | null };

function toAjvError(unit: OutputUnit): AjvLikeError {
  return {
    instancePath: unit.instanceLocation.replace(/^#/, ''),
    schemaPath: unit.keywordLocation,
    keyword: unit.keyword,
    params: {},
    message: unit.error,
  };
}

export default Ajv;
