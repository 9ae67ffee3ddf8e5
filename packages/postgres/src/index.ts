export type { EmbeddedPostgresOptions, RunningEmbeddedPostgres } from './embedded-server.ts';
export { startEmbeddedPostgres } from './embedded-server.ts';
export { findFreePort, isPortFree } from './free-port.ts';
export { isStartupError, StartupError } from './startup-error.ts';
export type { TestDatabase } from './test-database.ts';
export { createTestDatabase } from './test-database.ts';
