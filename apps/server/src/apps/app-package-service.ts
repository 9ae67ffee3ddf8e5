import type { Kysely } from 'kysely';
import type { JoineryDatabase } from '../database/schema.ts';
import type { AppPackage } from './app-package.ts';
import { readAppPackageFiles, writeAppPackageFiles } from './app-package-files.ts';
import { type ImportOptions, type ImportOutcome, importApp } from './import-app.ts';
import { exportApp } from './installed-app.ts';
import { validateAppPackage } from './validate-app-package.ts';

/** Reads and validates a package folder (every problem listed; nothing touched). */
export async function loadAppPackage(dir: string): Promise<AppPackage> {
  return validateAppPackage(await readAppPackageFiles(dir));
}

/** `joinery app export <app> <dir>`: the app's whole metadata as files; returns their paths. */
export async function exportAppToDir(
  db: Kysely<JoineryDatabase>,
  appKey: string,
  dir: string,
): Promise<string[]> {
  return writeAppPackageFiles(dir, await exportApp(db, appKey));
}

/** `joinery app import <dir>`: validates the folder, then installs it in one transaction. */
export async function importAppFromDir(
  db: Kysely<JoineryDatabase>,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  return importApp(db, await loadAppPackage(dir), options);
}

/** The difference as the CLI prints it: one `+`/`~`/`-` line per item, or "no changes". */
export function describeOutcome(outcome: ImportOutcome): string {
  if (outcome.differences.length === 0) return `${outcome.app}: no changes\n`;
  const sign = { added: '+', changed: '~', removed: '-' } as const;
  const lines = outcome.differences.map(
    (d) => `  ${sign[d.change]} ${d.kind} ${d.key}${d.name ? ` ${d.name}` : ''} (${d.change})`,
  );
  const verb = outcome.applied ? 'applied' : 'would apply (dry run)';
  return `${outcome.app}: ${outcome.differences.length} change(s) ${verb}\n${lines.join('\n')}\n`;
}
