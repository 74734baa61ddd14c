/** Geohash cells for "same place within a radius" candidate keys. */
import { geohash } from '../core/geohash.js';

// Encoding lives in core: the store groups incidents into the same cells for the heat map.
export { geohash };

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
