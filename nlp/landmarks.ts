/**
 * Landmarks people place a trouble by instead of an address: "у вокзала", "на привокзальной
 * площади", "возле универмага", "за рынком". A town has one of each, so two reports naming the
 * same landmark in one town's feed are at one place as surely as at one street.
 */
import type { Token } from './contract.js';
import { memoByKey } from '../core/memo.js';

const LANDMARKS: readonly (readonly [RegExp, string])[] = [
  [/^(вокзал|привокзальн)/, 'вокзал'],
  [/^(автовокзал|автостанц)/, 'автостанция'],
  [/^(рын(ок|ка|ке|ку|ком)$|рыночн)/, 'рынок'],
  [/^универмаг/, 'универмаг'],
  [/^стадион/, 'стадион'],
  [/^кладбищ/, 'кладбище'],
  [/^пляж/, 'пляж'],
  [/^(дк$|дворц[аеу]? культуры$)/, 'дк'],
  [/^(почт[аыеуо]й?$|почтамт)/, 'почта'],
  [/^(бан[яиюе]$|баней$)/, 'баня'],
  [/^(црб$|больниц)/, 'больница'],
  [/^плотин/, 'плотина'],
  [/^(пруд[ауе]?$|прудом$)/, 'пруд'],
];

/**
 * `site:<landmark>` keys for the landmarks the tokens name, each once, qualified by the place they
 * are in (`site:вокзал|шахунья`) when it is known: every town has its station, and a lookup by the
 * key should find this town's incidents, not the region's latest.
 */
export const landmarkKeys = (tokens: readonly Pick<Token, 'norm'>[], where: string | null = null): string[] => {
  const out: string[] = [];
  for (const { norm } of tokens) {
    for (const name of landmarksOf(norm)) {
      const key = where === null ? `site:${name}` : `site:${name}|${where}`;
      if (!out.includes(key)) out.push(key);
    }
  }
  return out;
};

/** The landmarks a word names, worked out once per norm: every report's words pass here on the dedup path. */
const NONE: readonly string[] = [];
const landmarksOf = memoByKey((norm): readonly string[] => {
  const found = LANDMARKS.filter(([pattern]) => pattern.test(norm)).map(([, name]) => name);
  return found.length === 0 ? NONE : found;
});
