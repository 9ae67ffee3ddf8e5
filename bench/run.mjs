#!/usr/bin/env node
// Runs one benchmark: `pnpm bench <name>` executes bench/<name>.bench.ts with tsx.
// Each benchmark runs its baseline side by side and ends with the line
// `<name>: joinery/baseline = R (goal <= G)`. Without a name, lists the benchmarks.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length));
const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: pnpm bench <name> [args]\nbenchmarks: ${names.join(', ') || '(none yet)'}`);
  process.exit(name ? 2 : 0);
}
const file = join(here, `${name}.bench.ts`);
if (!existsSync(file)) process.exit(2);
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
