/**
 * Problems that cover a whole area rather than one house: a power, water, gas or heating outage, a
 * smell or smoke over the town. Reports of one outage name different streets ("Ленина без воды",
 * "у нас на Маяковского тоже"), so they meet by municipality and hours, not by address.
 */
import type { Token } from './contract.js';

export type AreaWideKind = 'outage' | 'smell';

/** A utility that a whole district loses at once. */
const UTILITY = /^(свет[ау]?$|светом$|электричеств|электроэнерги|электроснабжени|вод[аыуе]?$|водоснабжени|газ[аеу]?$|газоснабжени|отоплени|тепл[оа]$|теплоснабжени|гвс$|хвс$)/;
/** Its absence, loss or return ("дали свет" is the same outage ending). */
const ABSENCE = /^(нет|без|отключ|пропал|пропад|вырубил|вырубает|отруб|выбил|нету|дали|дадут|включ|авари)/;
/** A smell, smoke or emission that residents of a whole area notice. */
const SMELL = /^(запах|вон[ьи]|воня|пахн|пахл|смрад|дым|гар[ьи]|выброс|химией|сероводород|хлор[аом]?$|аммиак)/;

export const areaWideKind = (tokens: readonly Pick<Token, 'norm'>[]): AreaWideKind | null => {
  let utility = false;
  let absence = false;
  for (const { norm } of tokens) {
    if (SMELL.test(norm)) return 'smell';
    if (UTILITY.test(norm)) utility = true;
    else if (ABSENCE.test(norm)) absence = true;
  }
  return utility && absence ? 'outage' : null;
};
