import test from 'ava';
import { loadConfig } from './config.js';

test('related categories must be mutual: a one-way entry is refused with the key and what it lists', (t) => {
  t.deepEqual(loadConfig({ env: {} }).dedup.relatedCategories.roads, ['urban', 'transport']);
  const error = t.throws(() => loadConfig({ env: {}, overrides: { dedup: { relatedCategories: { waste: ['ecology'] } } } }));
  t.regex(error?.message ?? '', /dedup\.relatedCategories\.ecology: Expected "ecology" to list "waste" among its related categories \(relatedness is mutual\), got nothing/);
  t.notThrows(() => loadConfig({ env: {}, overrides: { dedup: { relatedCategories: { waste: ['ecology'], ecology: ['waste'] } } } }));
});

test('area-wide hours per kind: one kind overridden keeps the others, an unknown kind is refused by name', (t) => {
  const config = loadConfig({ env: {}, overrides: { dedup: { areaWideHoursByKind: { heat: 36 } } } });
  t.deepEqual(config.dedup.areaWideHoursByKind, { power: 6, gas: 48, water: 24, 'water-quality': 24, heat: 36, smell: 24 });
  const error = t.throws(() => loadConfig({ env: {}, overrides: { dedup: { areaWideHoursByKind: { snow: 12 } } } }));
  t.regex(error?.message ?? '', /dedup\.areaWideHoursByKind: unknown key\(s\) snow; allowed: power, gas, water, water-quality, heat, smell/);
  t.throws(() => loadConfig({ env: {}, overrides: { dedup: { areaWideHoursByKind: { heat: -1 } } } }));
});
