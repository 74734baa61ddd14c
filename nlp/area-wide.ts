/**
 * Problems that cover a whole area rather than one house: a power, water, gas or heating outage, a
 * smell or smoke over the town. Reports of one outage name different streets ("Ленина без воды",
 * "у нас на Маяковского тоже"), so they meet by municipality and hours, not by address. Each kind
 * is its own: hot water off on one street and heating off on another are two problems.
 */
import type { Token } from './contract.js';

export type AreaWideKind = 'power' | 'water' | 'gas' | 'heat' | 'smell';

/** A utility that a whole district loses at once. */
const UTILITIES: readonly (readonly [AreaWideKind, RegExp])[] = [
  ['power', /^(свет[ау]?$|светом$|электричеств|электроэнерги|электроснабжени)/],
  ['water', /^(вод[аыуе]?$|водоснабжени|гвс$|хвс$)/],
  ['gas', /^(газ[аеу]?$|газоснабжени)/],
  ['heat', /^(отоплени|тепл[оа]$|теплоснабжени)/],
];
/** Its absence, loss or return ("дали свет" is the same outage ending). */
const ABSENCE = /^(нет|без|отключ|пропал|пропад|вырубил|вырубает|отруб|выбил|нету|дали|дадут|включ|авари)/;
/** A smell, smoke or emission that residents of a whole area notice. */
const SMELL = /^(запах|вон[ьи]|воня|пахн|пахл|смрад|дым|гар[ьи]|выброс|химией|сероводород|хлор[аом]?$|аммиак)/;

export const areaWideKind = (tokens: readonly Pick<Token, 'norm'>[]): AreaWideKind | null => {
  let utility: AreaWideKind | null = null;
  let absence = false;
  for (const { norm } of tokens) {
    if (SMELL.test(norm)) return 'smell';
    const hit: readonly [AreaWideKind, RegExp] | undefined = utility === null ? UTILITIES.find(([, pattern]) => pattern.test(norm)) : undefined;
    if (hit) utility = hit[0];
    else if (ABSENCE.test(norm)) absence = true;
  }
  return utility !== null && absence ? utility : null;
};
