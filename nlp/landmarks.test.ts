import test from 'ava';
import { landmarkKeys } from './landmarks.js';
import { BaselineNormalizer } from './normalize.js';

const normalizer = new BaselineNormalizer();
const sites = (text: string): string[] => landmarkKeys(normalizer.normalize(text).tokens);

test('a landmark is named in any of its forms', (t) => {
  t.deepEqual(sites('У вокзала собаки стаей бегают'), ['site:вокзал']);
  t.deepEqual(sites('Женщину покусали собаки на привокзальной площади'), ['site:вокзал']);
  t.deepEqual(sites('яма напротив универмага'), ['site:универмаг']);
  t.deepEqual(sites('в ЦРБ очередь с шести утра'), ['site:больница']);
  t.deepEqual(sites('за рынком свалка, у бани тоже'), ['site:рынок', 'site:баня']);
  t.deepEqual(landmarkKeys(normalizer.normalize('у вокзала собаки').tokens, 'шахунья'), ['site:вокзал|шахунья'], 'each town its own station');
});

test('a bus station is not the railway station, and words that only look alike are no landmark', (t) => {
  t.deepEqual(sites('на автовокзале нет расписания'), ['site:автостанция']);
  t.deepEqual(sites('рыночная площадь вся в мусоре'), ['site:рынок']);
  t.deepEqual(sites('банк закрыли, почти все отделения'), []);
  t.deepEqual(sites('ямы во дворе'), []);
});
