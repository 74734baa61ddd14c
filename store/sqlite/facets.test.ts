import test from 'ava';
import { ValidationError } from '../../core/errors.js';
import { geohash } from '../../core/geohash.js';
import { analysisOf, newPost, reportOf } from '../test-fixtures.js';
import { openStore } from './test-fixtures.js';

const NN = { lat: 56.3269, lon: 44.0059 };
const NN_NEAR = { lat: 56.3271, lon: 44.0061 };
const DZ = { lat: 56.2389, lon: 43.4631 };

/** Six incidents over three days, two categories, two municipalities (one written two ways), three places. */
const seed = async () => {
  const store = openStore();
  const rows = [
    { id: 'inc_1', seenAt: '2026-11-20T08:00:00.000Z', category: 'roads', municipality: 'Нижний Новгород', location: NN, words: ['яма'] },
    { id: 'inc_2', seenAt: '2026-11-20T23:30:00.000Z', category: 'roads', municipality: 'Нижний Новгород', location: NN_NEAR, words: ['яма'] },
    { id: 'inc_3', seenAt: '2026-11-21T09:00:00.000Z', category: 'waste', municipality: 'Дзержинск', location: DZ, words: ['мусор'] },
    { id: 'inc_4', seenAt: '2026-11-21T10:00:00.000Z', category: 'waste', municipality: 'дзержинск', location: null, words: ['мусор'] },
    { id: 'inc_5', seenAt: '2026-11-22T10:00:00.000Z', category: 'roads', municipality: null, location: null, words: ['яма'] },
    { id: 'inc_6', seenAt: '2026-11-22T11:00:00.000Z', category: 'waste', municipality: 'Нижний Новгород', location: NN, words: ['мусор'] },
  ];
  await store.savePosts(rows.map((_, i) => newPost(String(i + 1))));
  for (const [i, row] of rows.entries()) {
    const postId = `vk-test:${i + 1}`;
    await store.addIncidentReport(reportOf(row.id, postId, row.seenAt, { category: row.category, municipality: row.municipality, location: row.location }));
    await store.saveAnalyses([analysisOf(postId, row.words, [row.id])]);
  }
  return store;
};

test('facets count incidents by category, municipality, UTC day and geohash cell', async (t) => {
  const store = await seed();
  const facets = await store.incidentFacets({}, { geoPrecision: 5 });
  t.is(facets.total, 6);
  t.deepEqual(facets.categories, [
    { key: 'roads', count: 3 },
    { key: 'waste', count: 3 },
  ]);
  t.deepEqual(facets.municipalities, [
    { key: 'Нижний Новгород', count: 3 },
    { key: 'Дзержинск', count: 2 },
  ], 'names differing in case are one municipality; incidents without one are left out');
  t.deepEqual(facets.days, [
    { key: '2026-11-20', count: 2 },
    { key: '2026-11-21', count: 2 },
    { key: '2026-11-22', count: 2 },
  ]);
  const nn = geohash(NN.lat, NN.lon, 5);
  t.deepEqual(facets.geo.map((c) => [c.geohash, c.count]), [
    [nn, 3],
    [geohash(DZ.lat, DZ.lon, 5), 1],
  ]);
  const center = facets.geo[0]?.center;
  t.truthy(center);
  t.is(geohash(center?.lat ?? 0, center?.lon ?? 0, 5), nn, 'the centre lies in its cell');
  t.true(Math.abs((center?.lat ?? 0) - NN.lat) < 0.03 && Math.abs((center?.lon ?? 0) - NN.lon) < 0.03);
});

test('facets apply the feed filter and the grid precision', async (t) => {
  const store = await seed();
  const waste = await store.incidentFacets({ categories: ['waste'] }, { geoPrecision: 5 });
  t.is(waste.total, 3);
  t.deepEqual(waste.categories, [{ key: 'waste', count: 3 }]);
  t.deepEqual(waste.days.map((d) => d.key), ['2026-11-21', '2026-11-22']);
  const dz = await store.incidentFacets({ municipality: 'ДЗЕРЖИНСК' }, { geoPrecision: 5 });
  t.is(dz.total, 2);
  const searched = await store.incidentFacets({ q: 'яма', to: '2026-11-21T00:00:00.000Z' }, { geoPrecision: 5 });
  t.is(searched.total, 2);
  t.deepEqual(searched.municipalities, [{ key: 'Нижний Новгород', count: 2 }]);
  // About 1 km cells: the two points 25 m apart straddle a cell border.
  const fine = await store.incidentFacets({}, { geoPrecision: 6 });
  t.deepEqual(fine.geo.map((c) => [c.geohash, c.count]), [
    [geohash(NN.lat, NN.lon, 6), 2],
    [geohash(DZ.lat, DZ.lon, 6), 1],
    [geohash(NN_NEAR.lat, NN_NEAR.lon, 6), 1],
  ]);
  t.not(geohash(NN.lat, NN.lon, 6), geohash(NN_NEAR.lat, NN_NEAR.lon, 6));
  const finest = await store.incidentFacets({}, { geoPrecision: 8 });
  t.true(finest.geo.every((c) => c.geohash.length === 8));
  const coarse = await store.incidentFacets({}, { geoPrecision: 1 });
  t.deepEqual(coarse.geo.map((c) => [c.geohash, c.count]), [[geohash(NN.lat, NN.lon, 1), 4]]);
  t.deepEqual(await store.incidentFacets({ q: '   ' }, { geoPrecision: 5 }), { total: 0, categories: [], municipalities: [], days: [], geo: [] });
  for (const geoPrecision of [0, 9, 2.5]) {
    await t.throwsAsync(store.incidentFacets({}, { geoPrecision }), { instanceOf: ValidationError, message: new RegExp(`expected an integer from 1 to 8, got ${geoPrecision}`) });
  }
});
