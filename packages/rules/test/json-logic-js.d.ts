// The reference implementation, used by tests and the benchmark only (the typings package
// is not needed for these two calls).
declare module 'json-logic-js' {
  const jsonLogic: {
    apply(logic: unknown, data?: unknown): unknown;
    truthy(value: unknown): boolean;
  };
  export default jsonLogic;
}
