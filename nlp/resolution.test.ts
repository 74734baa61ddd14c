import test from 'ava';
import { BaselineNormalizer } from './normalize.js';
import { saysFixed } from './resolution.js';

const fixed = (text: string) => saysFixed(new BaselineNormalizer().normalize(text).tokens);

test('a post that says the trouble was dealt with', (t) => {
  for (const text of ['Ямочный ремонт на Советской сделали 👍 спасибо администрации', 'вывезли наконец-то, спасибо', 'Ефремова 5: качели сняли совсем', 'лифт починили, ездим', 'яму засыпали щебнем'])
    t.true(fixed(text), text);
});

test('a complaint, or a trouble said not to be fixed, does not', (t) => {
  for (const text of ['яму так и не засыпали', 'лифт не починили третий день', 'мусор не вывезли', 'когда сделают дорогу?', 'лифт опять сломался'])
    t.false(fixed(text), text);
});
