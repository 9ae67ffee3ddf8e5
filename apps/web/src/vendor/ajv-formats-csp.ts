import type { Ajv } from './ajv-csp.ts';

/**
 * WARNING! The browser build's stand-in for `ajv-formats` (see `ajv-csp.ts` for why): the JSON
 * schema interpreter knows the formats itself, so there is nothing to add.
 */
export default function addFormats(ajv: Ajv): Ajv {
  return ajv;
}
