import test from 'ava';
import { loadConfig } from './config.js';

test('related categories must be mutual: a one-way entry is refused with the key and what it lists', (t) => {
  t.deepEqual(loadConfig({ env: {} }).dedup.relatedCategories.roads, ['urban', 'transport']);
  const error = t.throws(() => loadConfig({ env: {}, overrides: { dedup: { relatedCategories: { waste: ['ecology'] } } } }));
  t.regex(error?.message ?? '', /dedup\.relatedCategories\.ecology: Expected "ecology" to list "waste" among its related categories \(relatedness is mutual\), got nothing/);
  t.notThrows(() => loadConfig({ env: {}, overrides: { dedup: { relatedCategories: { waste: ['ecology'], ecology: ['waste'] } } } }));
});
