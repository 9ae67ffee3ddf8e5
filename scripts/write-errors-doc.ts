// Writes docs/errors.md from the error catalogue (run: pnpm docs:errors).
import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from '@joinery/shared';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
