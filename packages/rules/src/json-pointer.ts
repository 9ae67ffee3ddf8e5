/** Appends one segment to a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function appendPointer(pointer: string, segment: string | number): string {
  return `${pointer}/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
