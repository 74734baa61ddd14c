/**
 * Landmarks people place a trouble by instead of an address: "у вокзала", "на привокзальной
 * площади", "возле универмага", "за рынком". A town has one of each, so two reports naming the
 * same landmark in one town's feed are at one place as surely as at one street.
 */
import type { Token } from './contract.js';

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

/** `site:<landmark>` keys for the landmarks the tokens name, each once. */
export const landmarkKeys = (tokens: readonly Pick<Token, 'norm'>[]): string[] => {
  const out: string[] = [];
  for (const { norm } of tokens) {
    for (const [pattern, name] of LANDMARKS) {
      if (!pattern.test(norm)) continue;
      const key = `site:${name}`;
      if (!out.includes(key)) out.push(key);
    }
  }
  return out;
};
