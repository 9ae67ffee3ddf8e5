import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { keySchema, localizedSchema } from './app-definition-schema.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object in
// some toolchains and as the function in others.
const addFormats =
  typeof addFormatsModule === 'function' ? addFormatsModule : addFormatsModule.default;

/**
 * An ajv instance with the formats and the shared `localized` and `key` schemas. `allErrors`
 * gives every problem at once (a designer shows them all); callers bound input sizes first.
 */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, ...options });
  addFormats(ajv);
  ajv.addSchema(localizedSchema);
  ajv.addSchema(keySchema);
  return ajv;
}
