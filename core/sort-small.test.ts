import test from 'ava';
import { sortSmall } from './sort-small.js';

test('sortSmall orders like Array.prototype.sort, keeps equal items in their order, and sorts in place', (t) => {
  const items = [5, 3, 9, 1, 3, 7, 0, 2, 8, 3].map((n, i) => ({ n, i }));
  const expected = [...items].sort((a, b) => a.n - b.n);
  const sorted = sortSmall(items, (a, b) => a.n - b.n);
  t.is(sorted, items);
  t.deepEqual(sorted, expected);
  t.deepEqual(sortSmall(['b1:x', 'b10:y', 'b0:z'], (a, b) => (a < b ? -1 : a > b ? 1 : 0)), ['b0:z', 'b10:y', 'b1:x']);
  t.deepEqual(sortSmall([], () => 0), []);
});
