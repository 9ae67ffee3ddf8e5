import { api } from '../api/api.ts';
import { fetchMeta } from '../api/meta-api.ts';

let offset: Promise<number> | undefined;

/**
 * Minutes east of UTC of the server's business day (`GET /api/meta`, from
 * `JOINERY_UTC_OFFSET_MINUTES`), fetched once per page load: `today` in the rules the browser
 * evaluates is the server's calendar day, never the browser's time zone. A failed fetch is
 * forgotten, so the next call retries.
 */
export function loadBusinessDay(): Promise<number> {
  if (!offset) {
    offset = fetchMeta(api).then((meta) => meta.utcOffsetMinutes);
    offset.catch(() => {
      offset = undefined;
    });
  }
  return offset;
}
