import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const vendor = (file: string) => fileURLToPath(new URL(`./src/vendor/${file}`, import.meta.url));

/**
 * The single-page app. In development Vite serves it on 5173 and hands `/api` to the Joinery
 * server on 3000; in production `vite build` writes `dist/`, which the server serves itself.
 */
export default defineConfig({
  plugins: [react()],
  resolve: {
    // The form engine validates with ajv, which compiles schemas with `new Function`; the CSP
    // forbids that in the browser, so the browser build gets an interpreting stand-in.
    alias: [
      { find: /^ajv$/, replacement: vendor('ajv-csp.ts') },
      { find: /^ajv-formats$/, replacement: vendor('ajv-formats-csp.ts') },
    ],
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The runtime's budget is 400 KB gzip of initial JavaScript; warn well before that per chunk.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      treeshake: {
        // @joinery/shared has no side effects the app needs, but its package does not say so,
        // and its error catalogue (built by calls the bundler must assume impure) would ride
        // along in every bundle. The web app takes only what it imports from it.
        // The same holds for the form and rule engines (no module of theirs is imported for its
        // effects): the browser keeps the validator and linkage, not the DDL planner or kysely.
        moduleSideEffects: [
          {
            test: /[\\/]packages[\\/](shared|forms|rules)[\\/]src[\\/]/,
            sideEffects: false,
          },
        ],
      },
    },
  },
});
