/** Feed cursors: opaque to clients, a (last_seen, id) position in the stable feed order to us. */
import { ValidationError } from '../core/errors.js';

export interface FeedPosition {
  readonly lastSeen: string;
  readonly id: string;
}

export const encodeCursor = (position: FeedPosition): string =>
  Buffer.from(JSON.stringify([position.lastSeen, position.id]), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): FeedPosition => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { lastSeen: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('Invalid cursor: expected the `next_cursor` value of a previous page, got an unreadable string.', [
    { path: 'cursor', message: 'not a cursor issued by this API' },
  ]);
};
