// Benchmark `workflow-soak`: the workflow runtime's long soaks at full size — the concurrency
// test (50 approvers racing for one step, `--rounds` rounds, 100 by default) and the crash test
// (`--instances` instances with `--kills` SIGKILLs of the server, 200 and 20 by default). CI runs
// both small (their defaults 10 and 30/5); this runs them as docs/workflow-runtime.md describes,
// one after the other (~12 min on the 2-core machine). Each is a vitest run against Postgres
// (DATABASE_URL, postgres://postgres@127.0.0.1:5432/test by default); there is no baseline, so
// the last line counts failed runs: `workflow-soak: failures/runs = F/2 (goal <= 0)`.
// Run with `node bench/run.mjs workflow-soak [--rounds N] [--instances N] [--kills N]`.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { flag, since } from './records-setup.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const soaks = [
  {
    file: 'apps/server/test/workflow-concurrency.test.ts',
    env: { WORKFLOW_CONCURRENCY_ROUNDS: String(flag('rounds', 100)) },
  },
  {
    file: 'apps/server/test/workflow-crash.test.ts',
    env: {
      WORKFLOW_CRASH_INSTANCES: String(flag('instances', 200)),
      WORKFLOW_CRASH_KILLS: String(flag('kills', 20)),
    },
  },
];

let failures = 0;
for (const { file, env } of soaks) {
  const started = performance.now();
  const settings = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  console.log(`${file} (${settings.join(' ')})`);
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'node', file], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env, DATABASE_URL },
  });
  const passed = run.status === 0;
  if (!passed) failures += 1;
  console.log(`${file}: ${passed ? 'passed' : 'FAILED'}, ${(since(started) / 1000).toFixed(0)} s`);
}
console.log(
  `load average: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
console.log(`workflow-soak: failures/runs = ${failures}/${soaks.length} (goal <= 0)`);
process.exit(failures === 0 ? 0 : 1);
