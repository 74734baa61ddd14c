/**
 * In-place insertion sort, stable, for the short arrays of the dedup hot path (a dozen band keys,
 * a few dozen candidates or terms per report). `Array.prototype.sort` allocates a work array on
 * every call, and at thousands of reports per second that garbage is what the collector spends on.
 */
export const sortSmall = <T>(items: T[], compare: (a: T, b: T) => number): T[] => {
  for (let i = 1; i < items.length; i++) {
    const item = items[i] as T;
    let at = i;
    while (at > 0 && compare(item, items[at - 1] as T) < 0) {
      items[at] = items[at - 1] as T;
      at--;
    }
    items[at] = item;
  }
  return items;
};
