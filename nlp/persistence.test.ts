import test from 'ava';
import { troublePersists } from './persistence.js';

const tokens = (text: string) => text.toLowerCase().replace(/ё/g, 'е').split(/[\s,.!?]+/).filter(Boolean).map((norm) => ({ norm }));
const persists = (text: string) => troublePersists(tokens(text));

test('a report that says its trouble goes on', (t) => {
  for (const text of [
    'школа 2 — плиту так и не починили',
    'горячей так и нет с 1 декабря',
    'свалку до сих пор не убрали',
    'Собаки в Правдинске никуда не делись',
    'опять очередь в поликлинике',
    'сорок третий снова нет, уже неделю так',
    'маршрут 220 рейс отменили второй день подряд',
    'лифт стоит 3-й день',
    'вода всё ещё ржавая',
    'который день без лифта',
    'вторую неделю кормят всухомятку',
  ]) t.true(persists(text), text);
});

test('a report of a trouble, or of its end, does not', (t) => {
  for (const text of ['лифт сломался на Фаворского 3', 'так и сказали в УК: ждите', 'до свидания, лето', 'уже починили, спасибо', 'всё хорошо, дали свет', 'первый день зимы'])
    t.false(persists(text), text);
});
