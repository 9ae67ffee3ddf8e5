// Types for the form engine's `ajv-formats` import under the web app's Bundler resolution.
// The package is CommonJS: depending on the toolchain its default import is the plugin or a
// module object holding it, and the engine handles both; the union lets its check typecheck
// here as it does under NodeNext. The browser build replaces the module (vite.config.ts).
type FormatsPlugin = (ajv: unknown, options?: unknown) => unknown;
declare const addFormats: FormatsPlugin | { readonly default: FormatsPlugin };
export default addFormats;
