/**
 * Why the embedded database did not start, in one line that says what to do:
 * `npm start` prints it as is and exits 1, so it must stand without a stack trace.
 */
export class EmbeddedDatabaseError extends Error {
  readonly code = 'EMBEDDED_DATABASE_FAILED';
  constructor(problem: string, remedy: string, options?: {cause?: unknown}) {
    super(`the embedded PostgreSQL did not start: ${oneLine(problem)}. ${remedy}`, options);
    this.name = 'EmbeddedDatabaseError';
  }
}

/** The remedy that always works: use a PostgreSQL of one's own. */
export const USE_OWN_DATABASE = 'Or set DB_HOST (and DB_USER, DB_PASSWORD) to use a PostgreSQL server of your own.';

/** Tools print several lines (error, hint, detail); the first ones name the problem. */
export function oneLine(text: string, maxLines = 2): string {
  return text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '')
    .slice(0, maxLines)
    .join(' ')
    .replace(/\.$/, '');
}
