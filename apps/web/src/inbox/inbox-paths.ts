/** The inbox page (its to-do list). */
export const INBOX_PATH = '/inbox';

/** The page where a task is decided. */
export function taskPath(id: string): string {
  return `${INBOX_PATH}/tasks/${encodeURIComponent(id)}`;
}
