/**
 * Feed cursors of the Elasticsearch store: the (last_seen, id) position of the SQLite store's
 * cursors plus, while there are more pages, the point in time the pages are read from. A cursor
 * without one (issued by the SQLite store, or whose point in time expired) still pages correctly.
 */
import { decodeCursor, type FeedPosition } from '../cursor.js';

export interface FeedCursor extends FeedPosition {
  readonly pit: string | null;
}

export const encodeFeedCursor = (cursor: FeedCursor): string =>
  Buffer.from(JSON.stringify(cursor.pit === null ? [cursor.lastSeen, cursor.id] : [cursor.lastSeen, cursor.id, cursor.pit]), 'utf8').toString('base64url');

export const decodeFeedCursor = (cursor: string): FeedCursor => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')) {
      return { lastSeen: value[0] as string, id: value[1] as string, pit: value[2] as string };
    }
  } catch {
    // decodeCursor below says what is wrong
  }
  return { ...decodeCursor(cursor), pit: null };
};
