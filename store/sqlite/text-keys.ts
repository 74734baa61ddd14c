/** Keys the SQLite queries match on. */
import { isBroadKey, isScoreOnlyKey } from '../dedup-limits.js';

/**
 * An incident key as `incident_keys` holds it: a broad key (a whole town) is read per category, so
 * its category is part of it and one (key, last_seen) index serves broad and specific reads alike.
 */
export const indexedKey = (key: string, category: string): string => (isBroadKey(key) ? `${key}|${category}` : key);

/** The `incident_keys` rows of an incident's keys: score-only keys (`isScoreOnlyKey`) get none. */
export const indexedKeys = (keys: readonly string[], category: string): string[] => {
  const out: string[] = [];
  for (const key of keys) if (!isScoreOnlyKey(key)) out.push(indexedKey(key, category));
  return out;
};

/** Case- and ё-insensitive key for Cyrillic names: SQLite's NOCASE only folds ASCII. */
export const nameKey = (name: string | null): string | null => (name === null ? null : name.toLowerCase().replaceAll('ё', 'е').trim());

/** An FTS5 query matching every token, each quoted so that no token is read as FTS syntax. */
export const ftsQuery = (tokens: readonly string[]): string => tokens.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
