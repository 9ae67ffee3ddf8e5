import { readFileSync } from 'node:fs';
import { renderErrorsDoc } from '@joinery/shared';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../src/config/config.ts';

const doc = (name: string) =>
  readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

describe('documentation in step with the code', () => {
  it('docs/errors.md is generated from the catalogue (run `pnpm docs:errors` when this fails)', () => {
    expect(doc('errors.md')).toBe(renderErrorsDoc());
  });

  it('docs/configuration.md documents exactly the variables the server reads', () => {
    const documented = [...doc('configuration.md').matchAll(/^\| `([A-Z_]+)` \|/gm)].map(
      (m) => m[1],
    );
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
