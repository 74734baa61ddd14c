/** Keys the SQLite queries match on. */

/** Case- and ё-insensitive key for Cyrillic names: SQLite's NOCASE only folds ASCII. */
export const nameKey = (name: string | null): string | null => (name === null ? null : name.toLowerCase().replaceAll('ё', 'е').trim());

/** An FTS5 query matching every token, each quoted so that no token is read as FTS syntax. */
export const ftsQuery = (tokens: readonly string[]): string => tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
