/** Bounds of what the Elasticsearch store keeps and reads at once. */

/** Posts whose text the full-text filter of an incident searches; later posts still count and show. */
export const MAX_SEARCHABLE_POSTS = 1_000;
/** Posts shown with an incident or a story, as the SQLite store. */
export const MAX_LISTED_POSTS = 1_000;
/** Ids per `_mget` request. */
export const MGET_CHUNK = 1_000;
/** Documents per page when the store walks a whole index (reprocess, source states). */
export const SCAN_PAGE = 1_000;
/** How long a feed cursor's point in time stays open between two pages. */
export const PIT_KEEP_ALIVE = '2m';
/** Rounds of re-reading and re-applying a batch's writes after concurrent changes (409). */
export const CONFLICT_ROUNDS = 5;
