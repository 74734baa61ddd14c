/** How many keys a remembered function holds before it starts over. */
const MEMO_LIMIT = 100_000;

/**
 * `compute`, remembered by its string argument: the same words and times come back post after post,
 * and a map lookup is cheaper than the regexes or parsing behind them. Cleared rather than evicted
 * one by one when full: the words of the day come back within a few posts.
 */
export const memoByKey = <V>(compute: (key: string) => V, limit = MEMO_LIMIT): ((key: string) => V) => {
  const memo = new Map<string, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(key);
      if (memo.size >= limit) memo.clear();
      memo.set(key, value);
    }
    return value;
  };
};
