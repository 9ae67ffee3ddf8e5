/**
 * JSON-logic truthiness (jsonlogic.com/truthy): JavaScript's, except that an empty array is
 * false. Every boolean decision of the engine (`if`, `and`, `!`, `filter`…) goes through it.
 */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length !== 0 : !!value;
}
