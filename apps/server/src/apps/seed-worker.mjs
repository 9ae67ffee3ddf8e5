// A worker thread of `joinery seed lending` (see seed-workers.ts): runs the TypeScript through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./seed-worker.ts');
