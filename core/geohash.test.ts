import test from 'ava';
import { geohash, geohashCenter } from './geohash.js';

test('geohash encodes the published reference point and its centre decodes back into the cell', (t) => {
  // The example of the original geohash description: 42.6, -5.6 is ezs42.
  t.is(geohash(42.6, -5.6, 5), 'ezs42');
  const center = geohashCenter('ezs42');
  t.true(Math.abs(center.lat - 42.605) < 0.01 && Math.abs(center.lon - -5.603) < 0.01);
  for (const precision of [1, 3, 5, 8]) {
    const cell = geohash(56.3269, 44.0059, precision);
    const { lat, lon } = geohashCenter(cell);
    t.is(geohash(lat, lon, precision), cell, `the centre of ${cell} lies in it`);
  }
  t.throws(() => geohashCenter('ezs4a'), { message: /expected characters of 0123456789bcdefghjkmnpqrstuvwxyz, got "a"/ });
});
