import { errorCatalogue } from './error-catalogue.ts';

/**
 * The text of docs/errors.md, generated from the catalogue so the two cannot drift:
 * `pnpm docs:errors` writes it, and a test fails when the file is stale.
 */
export function renderErrorsDoc(): string {
  const rows = Object.entries(errorCatalogue)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([code, entry]) =>
        `| \`${code}\` | ${entry.status} | ${entry.cause} | ${entry.message['zh-CN']} | ${entry.message.en} |`,
    );
  return [
    '# Error codes · 错误码',
    '',
    'Every error response is `{ "error": { "code", "message", "fields"? } }`; the message is in the',
    "caller's language (`Accept-Language`: zh-CN by default, or en). `fields` lists per-field problems",
    'as a JSON pointer and a reason. Cause: `user` — the request was wrong (4xx, do not retry as is);',
    '`transient` — retry later; `bug` — report it with the reference in the message.',
    '',
    'Generated from `packages/shared/src/errors/` by `pnpm docs:errors`; do not edit by hand.',
    '',
    '| code | HTTP | cause | zh-CN | en |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
