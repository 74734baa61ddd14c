import test from 'ava';
import { extractAddresses } from './addresses.js';
import { canonicalName, recaseCaps } from './street-names.js';

const pairs = (text: string): string[] =>
  extractAddresses(text)
    .filter((a) => a.street && a.house)
    .map((a) => `${a.street}|${a.house}`);

const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
  // Type after the name; `пр.` with an adjectival name is a проезд unless it is a common prospect name.
  ['Фрунзе пр. 12 — опять ДТП', ['проспект Фрунзе|12']],
  // A house said a little later, past a chat's "??", is the street's ("Коминтерна?? Возле дома 139").
  ['что творится на Коминтерна?? Возле дома 139 из-под асфальта бьёт кипяток', ['улица Коминтерна|139']],
  ['Олимпийский пр., 9 — нет освещения', ['проезд Олимпийский|9']],
  ['на Московском пр. 40 пробка', ['проспект Московский|40']],
  ['Советский пр-т 7 яма', ['проспект Советский|7']],
  ['Верхне-Луговая наб., 3 — обрыв', ['набережная Верхне-Луговая|3']],
  ['Чапаева пер. 6 — свет', ['переулок Чапаева|6']],
  // Names without a type, inflected adjectives and people's names.
  ['Живём на Луговой, 7 — воды нет', ['улица Луговая|7']],
  ['пишу про Кленовую 11', ['улица Кленовая|11']],
  ['Малой Покровской 3 нет света', ['улица Малая Покровская|3']],
  ['на Строителей 4 мусор', ['улица Строителей|4']],
  ['ул. Терешковой 8 нет газа', ['улица Терешковой|8']],
  ['на Маршала Казакова 5 яма', ['улица Маршала Казакова|5']],
  ['Самара, 16 Партсъезда 3', ['улица 16 Партсъезда|3']],
  // A masculine name is a бульвар or a проспект, which one unsaid: no type is guessed.
  ['Мещерский 7 — мусорку переполнили', ['Мещерский|7']],
  ['на Молодёжном 30 опять не вывезли', ['Молодежный|30']],
  ['ул. 60-летия Октября 2', ['улица 60-летия Октября|2']],
  ['ул. Окт. Революции 9', ['улица Октябрьской Революции|9']],
  ['ул. Ф. Энгельса 3', ['улица Фридриха Энгельса|3']],
  ['3а микрорайон, д. 8', ['микрорайон 3а|8']],
  // Case, several houses, later houses, flats.
  ['ЧКАЛОВА 12 ОПЯТЬ БЕЗ ВОДЫ', ['улица Чкалова|12']],
  ['чкалова 12 опять без воды', ['улица Чкалова|12']],
  ['Лесная 2, 4 и 6 — без света', ['улица Лесная|2', 'улица Лесная|4', 'улица Лесная|6']],
  ['дома 1 и 3 по ул. Мира без тепла', ['улица Мира|1', 'улица Мира|3']],
  ['На Ильинской снова раскопки, у дома 40 не пройти', ['улица Ильинская|40']],
  ['ул. Мира, д. 4, кв. 77 течь', ['улица Мира|4']],
  ['Мира 4-77 течь', ['улица Мира|4']],
  ['ул. Мира 4 "В" течь', ['улица Мира|4в']],
];

for (const [text, expected] of cases) {
  test(`addresses: ${text}`, (t) => {
    t.deepEqual(pairs(text), expected);
  });
}

const negatives = [
  'Пенсия 12 300, а платим за всё',
  'Маршрутка 45 не пришла',
  'Квартира 12 топит соседей',
  'Автобус 17 опять не ходит',
  'Продукты 24 — магазин закрыт',
  'нет света 5 часов, с 10:30',
  'Лицей 38 и школа № 4 без воды',
  'ВОЛОГДА,24 МАРШРУТ опять не пришёл',
  'жара 30+ а воды нет',
  'Последний 2 автобус ушёл без нас',
  'Детский 5 сад закрыли',
];
for (const text of negatives) {
  test(`addresses: no house in "${text}"`, (t) => {
    t.deepEqual(pairs(text), []);
  });
}

const streets = (text: string): string[] => extractAddresses(text).flatMap((a) => (a.street ? [a.street] : []));

test('addresses: a bare street name in lower case after a preposition, as chats write it', (t) => {
  t.deepEqual(streets('яма у проходной на калинина, две недели уже'), ['улица Калинина']);
  t.deepEqual(streets('фонари на бурнаковской так и не горят'), ['улица Бурнаковская']);
  t.deepEqual(streets('свалка у гаражей на фаворского растёт'), ['улица Фаворского']);
  t.deepEqual(streets('на советской залатали яму'), ['улица Советская']);
});

test('addresses: lower-case words shaped like names that name no street', (t) => {
  for (const text of ['на детской площадке сломали горку', 'у металлургического завода дым', 'с коляской не пройти', 'у магазина яма', 'у проходной стоят фуры', 'на центральной аллее темно'])
    t.deepEqual(streets(text), [], text);
});

test('addresses: a verb, an adverb or a preposition after "улице" or "проезд" is no street name', (t) => {
  for (const text of ['очередь в регистратуру на улице стоит', 'кипяток по улице течет', 'на половине улицы темно', 'вся улица просыпается', 'проезд под ж/д мостом затоплен', 'половина улицы без света'])
    t.deepEqual(streets(text), [], text);
  t.deepEqual(streets('по улице гагарина не пройти'), ['улица Гагарина']);
});

test('addresses: the trouble after "бульваре" or "улице" is no street name', (t) => {
  for (const text of ['в 11 доме на бульваре лифт так и стоит', 'на улице грязь по колено', 'по проспекту пробка до моста', 'дороги на улице разбиты', 'мусорку у 7го дома на бульваре так и не вывезли', 'На улице минус, в квартире +15'])
    t.deepEqual(streets(text), [], text);
  t.deepEqual(streets('на бульваре мира лифт встал'), ['бульвар Мира']);
  // A past participle is no name either: the street is the embankment itself.
  t.deepEqual(streets('Контейнеры на Набережной переполнены'), ['улица Набережная']);
});

test('addresses: a bare name heading a post or a line, then a dash or a colon', (t) => {
  t.deepEqual(streets('Мира — сугробы, грейдер был только на Советской'), ['улица Мира', 'улица Советская']);
  t.deepEqual(streets('Фурманова — газа нет, плита не горит'), ['улица Фурманова']);
  t.deepEqual(streets('у нас тоже\nСадовая: нет воды'), ['улица Садовая']);
  t.deepEqual(streets('Из крана течёт ржавая вода, пить невозможно. Садовая'), ['улица Садовая']);
  for (const text of ['Погода — жесть', 'Вода — ржавая', 'Бор — без света', 'Внимание: отключение', 'Ура — дали свет'])
    t.deepEqual(streets(text), [], text);
});

test('addresses: "д." before a village name is a settlement with a house, not a street', (t) => {
  const [a, ...rest] = extractAddresses('в д. Кузьминка, дом 14 сгорел сарай');
  t.is(rest.length, 0);
  t.is(a?.street, undefined);
  t.is(a?.settlement, 'Кузьминка');
  t.is(a?.house, '14');
});

test('addresses: several houses share the span of one mention', (t) => {
  const found = extractAddresses('Кирова 9, 11 и 13 без газа');
  t.deepEqual(found.map((a) => a.text), ['Кирова 9, 11 и 13', 'Кирова 9, 11 и 13', 'Кирова 9, 11 и 13']);
});

test('addresses: spans of recased capitals slice the original text', (t) => {
  const text = 'СРОЧНО УЛ. ЛЕНИНА 33 СОСУЛЬКИ';
  const [a] = extractAddresses(text);
  t.is(a?.text, 'УЛ. ЛЕНИНА 33');
  t.is(a ? text.slice(a.span.start, a.span.end) : undefined, a?.text);
});

test('street names: adjectives agree with the type only when the whole name is adjectival', (t) => {
  t.is(canonicalName('Большой Покровской', 'f', true), 'Большая Покровская');
  t.is(canonicalName('Октябрьской Революции', 'f', true), 'Октябрьской Революции');
  t.is(canonicalName('Рабочей', 'f', true), 'Рабочая');
  t.is(canonicalName('Верхней', 'f', true), 'Верхняя');
  t.is(canonicalName('К. Либкнехта', 'f', true), 'Карла Либкнехта');
  t.is(recaseCaps('ТСЖ ЛЕНИНА 5'), 'ТСЖ Ленина 5');
});
