/** Geohash cells for "same place within a radius" candidate keys. */

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

export const geohash = (lat: number, lon: number, precision: number): string => {
  let latLo = -90;
  let latHi = 90;
  let lonLo = -180;
  let lonHi = 180;
  let hash = '';
  let bit = 0;
  let ch = 0;
  let even = true;
  while (hash.length < precision) {
    if (even) {
      const mid = (lonLo + lonHi) / 2;
      if (lon >= mid) {
        ch = (ch << 1) | 1;
        lonLo = mid;
      } else {
        ch <<= 1;
        lonHi = mid;
      }
    } else {
      const mid = (latLo + latHi) / 2;
      if (lat >= mid) {
        ch = (ch << 1) | 1;
        latLo = mid;
      } else {
        ch <<= 1;
        latHi = mid;
      }
    }
    even = !even;
    if (++bit === 5) {
      hash += BASE32[ch];
      bit = 0;
      ch = 0;
    }
  }
  return hash;
};

/** Cell size in degrees (lat, lon) for a precision. */
const cellSize = (precision: number): [number, number] => {
  const bits = precision * 5;
  const lonBits = Math.ceil(bits / 2);
  const latBits = Math.floor(bits / 2);
  return [180 / 2 ** latBits, 360 / 2 ** lonBits];
};

/** The cell of the point and its eight neighbours, so a point near a border still meets its twin. */
export const geohashNeighbourhood = (lat: number, lon: number, precision: number): string[] => {
  const [dLat, dLon] = cellSize(precision);
  const cells = new Set<string>();
  for (const y of [-1, 0, 1]) {
    for (const x of [-1, 0, 1]) {
      const la = Math.max(-90, Math.min(90, lat + y * dLat));
      const lo = ((lon + x * dLon + 540) % 360) - 180;
      cells.add(geohash(la, lo, precision));
    }
  }
  return [...cells];
};
