/**
 * The "recently seen" part of a cursor. Neither feeds nor list pages can be paged by id or date
 * (items get reordered and re-dated), so a pass remembers which ids it returned, newest first.
 */

export const defaultSeenLimit = 500;
/** A cursor must stay small enough to store with every pass, whatever the source's size. */
export const maxSeenLimit = 5_000;

/** `fresh` ids in front of the remembered ones, deduplicated, cut to `limit`. */
export const remember = (seen: readonly string[], fresh: readonly string[], limit: number): string[] => {
  const out: string[] = [];
  const added = new Set<string>();
  for (const id of [...fresh, ...seen]) {
    if (added.has(id)) continue;
    added.add(id);
    out.push(id);
    if (out.length >= limit) break;
  }
  return out;
};

/**
 * Enough memory for everything the source shows at once (twice over, for reordering), so an item
 * still on the page is never forgotten and returned again.
 */
export const seenLimitFor = (visible: number): number => Math.min(maxSeenLimit, Math.max(defaultSeenLimit, visible * 2));
