import test, { type ExecutionContext } from 'ava';
import type { Facts } from '../../core/types.js';
import { createBaselineToolkit } from '../index.js';

const toolkit = createBaselineToolkit();
const factsOf = (text: string): { clean: string; facts: Facts } => {
  const doc = toolkit.normalizer.normalize(text);
  return { clean: doc.clean, facts: toolkit.extractor.extract(doc) };
};

const everySpanSlices = (t: ExecutionContext, clean: string, facts: Facts): void => {
  for (const list of [facts.addresses, facts.locations, facts.organizations, facts.dates, facts.phones]) {
    for (const f of list) t.is(clean.slice(f.span.start, f.span.end), f.text);
  }
};

const addressCases: ReadonlyArray<readonly [string, string, string | undefined, string]> = [
  ['ул. Ленина, д. 5 опять без воды', 'улица Ленина', '5', 'ул. Ленина, д. 5'],
  ['на Ленина 5 нет света', 'улица Ленина', '5', 'Ленина 5'],
  ['у дома 5 на Ленина яма', 'улица Ленина', '5', 'дома 5 на Ленина'],
  ['адрес Ленина,5к2 подъезд 3', 'улица Ленина', '5к2', 'Ленина,5к2'],
  ['пр-т Гагарина 23а, двор разбит', 'проспект Гагарина', '23а', 'пр-т Гагарина 23а'],
  ['в доме 12 по улице Белинского течёт крыша', 'улица Белинского', '12', 'доме 12 по улице Белинского'],
  ['на улице Ленина опять раскопали', 'улица Ленина', undefined, 'улице Ленина'],
  ['по проспекту Гагарина пробки', 'проспект Гагарина', undefined, 'проспекту Гагарина'],
  ['яма на Московском шоссе 12', 'шоссе Московское', '12', 'Московском шоссе 12'],
  ['на Садовой улице, д. 3 темно', 'улица Садовая', '3', 'Садовой улице, д. 3'],
  ['ул Бориса Панина д 7 корп. 2', 'улица Бориса Панина', '7к2', 'ул Бориса Панина д 7 корп. 2'],
  ['мкр. Щербинки-2, д.14 нет отопления', 'микрорайон Щербинки-2', '14', 'мкр. Щербинки-2, д.14'],
  ['помойка в 4м микрорайоне у дома 12', 'микрорайон 4', '12', '4м микрорайоне у дома 12'],
  ['на ленина 5 опять яма', 'улица Ленина', '5', 'ленина 5'],
  ['б-р Мещерский 9 стр. 1', 'бульвар Мещерский', '9с1', 'б-р Мещерский 9 стр. 1'],
  ['вчера на Бекетова у бара драка', 'улица Бекетова', undefined, 'Бекетова'],
  ['по Ошарской автобус убрали', 'улица Ошарская', undefined, 'Ошарской'],
  ['на Большой Покровской самокаты носятся', 'улица Большая Покровская', undefined, 'Большой Покровской'],
  ['на Садовой прорвало трубу, у дома 7 пар', 'улица Садовая', '7', 'Садовой прорвало трубу, у дома 7'],
];

for (const [text, street, house, span] of addressCases) {
  test(`address: ${text}`, (t) => {
    const { clean, facts } = factsOf(text);
    const a = facts.addresses[0];
    t.truthy(a, 'an address is found');
    t.is(a?.street, street);
    t.is(a?.house, house);
    t.is(a?.text, span);
    everySpanSlices(t, clean, facts);
  });
}

test('address: a bare capitalised name after a preposition is no street when it is a place, an organisation or an abbreviation', (t) => {
  for (const text of [
    'у Сормовского рынка грязь',
    'из Дзержинска пишут, что воды нет',
    'по ИПРА памперсы не выдают',
    'из Энергосбыта никто не перезвонил',
    'контейнеры переполнены с Рождества',
  ]) {
    t.deepEqual(factsOf(text).facts.addresses, [], text);
  }
});

test('address: a crossing names both streets', (t) => {
  for (const [text, streets] of [
    ['Яма на перекрёстке Ошарской и Белинского, правый ряд', ['улица Ошарская', 'улица Белинского']],
    ['на углу Горького/Белинского прорвало трубу', ['улица Горького', 'улица Белинского']],
    ['На пересечении Ванеева и Бекетова не работает светофор', ['улица Ванеева', 'улица Бекетова']],
  ] as const) {
    const { clean, facts } = factsOf(text);
    t.deepEqual(facts.addresses.map((a) => a.street), [...streets], text);
    everySpanSlices(t, clean, facts);
  }
});

test('address: a street named as the way round or the heading is marked a detour; a crossing over it is not', (t) => {
  const detours = (text: string) => factsOf(text).facts.addresses.map((a) => [a.street, a.detour === true]);
  t.deepEqual(detours('Под мостом озеро. Объезжайте, кто по Московскому шоссе'), [['шоссе Московское', true]]);
  t.deepEqual(detours('автобус пустили в объезд по улице Ленина'), [['улица Ленина', true]]);
  t.deepEqual(detours('все едут через Сормовское шоссе, там пробка'), [['шоссе Сормовское', true]]);
  t.deepEqual(detours('переход через Ленина закрыт'), [['улица Ленина', false]]);
  t.deepEqual(detours('яма на Ленина у дома 5'), [['улица Ленина', false]]);
  // Where the traffic heads is not where the hole is.
  t.deepEqual(detours('На Родионова в сторону Казанского шоссе провал асфальта'), [['улица Родионова', false], ['шоссе Казанское', true]]);
});

test('address: numbers that are durations, dates or phones are not houses', (t) => {
  t.deepEqual(factsOf('Нет воды уже 5 дней, с 12.11 звоним 8-920-123-45-67').facts.addresses, []);
  t.deepEqual(factsOf('Аварийная служба Ленина 8 (831) 222-33-44').facts.addresses.map((a) => a.house), []);
  // An entrance in brackets after the house is no phone's area code.
  t.deepEqual(factsOf('Дом на Ванеева 127 (1-й подъезд): лифт стоит').facts.addresses.map((a) => [a.street, a.house]), [['улица Ванеева', '127']]);
});

test('address: the settlement written next to a street belongs to it', (t) => {
  const a = factsOf('г. Бор, ул. Ленина, 5 — прорыв трубы').facts.addresses;
  t.is(a.length, 1);
  t.is(a[0]?.settlement, 'Бор');
  t.is(a[0]?.street, 'улица Ленина');
  const village = factsOf('В д. Кузнечиха третий день нет света').facts.addresses;
  t.is(village[0]?.settlement, 'Кузнечиха');
});

test('locations resolve inflected forms and abbreviations to canonical names', (t) => {
  const { clean, facts } = factsOf(
    'В Дзержинске и в Нижнем (Н.Новгород, НН) то же самое, на Автозаводе и в Сормове тоже, а в Канавинском районе нет',
  );
  t.deepEqual(facts.locations.map((l) => l.municipality), [
    'Дзержинск', 'Нижний Новгород', 'Нижний Новгород', 'Нижний Новгород', 'Автозаводский район', 'Сормовский район', 'Канавинский район',
  ]);
  t.deepEqual(facts.locations.map((l) => l.text), ['Дзержинске', 'Нижнем', 'Н.Новгород', 'НН', 'Автозаводе', 'Сормове', 'Канавинском районе']);
  everySpanSlices(t, clean, facts);
});

test("locations: a city district's nickname in lower case, as chats write it", (t) => {
  const { facts } = factsOf('автозавод молодежка тоже света нет уже минут 40');
  t.deepEqual(facts.locations.map((l) => l.municipality), ['Автозаводский район']);
});

test('locations: a microdistrict, numbered or not, is in its city district and keeps its own name', (t) => {
  const { clean, facts } = factsOf('Собаки у школы в Щербинках-2, а в Верхних Печёрах и на Мещерском озере тихо');
  t.deepEqual(facts.locations.map((l) => [l.municipality, l.part]), [
    ['Приокский район', 'Щербинки'], ['Нижегородский район', 'Верхние Печёры'], ['Канавинский район', 'Мещерское озеро'],
  ]);
  t.deepEqual(facts.locations.map((l) => l.text), ['Щербинках-2', 'Верхних Печёрах', 'Мещерском озере']);
  everySpanSlices(t, clean, facts);
  t.deepEqual(factsOf('в Урене и Шахунье опять, а в Починках и Перевозе нет').facts.locations.map((l) => l.municipality), ['Урень', 'Шахунья', 'Починки', 'Перевоз']);
  // Every district centre of the region: the last three were added with the sets that named them.
  t.deepEqual(factsOf('в Воскресенском, Спасском и Уразовке дороги размыло').facts.locations.map((l) => l.municipality), ['Воскресенское', 'Спасское', 'Уразовка']);
  t.deepEqual(factsOf('починки не будет, перевоз закрыт').facts.locations, [], 'ordinary words in lower case');
});

test('locations: "Мещера", as residents call Мещерское озеро, is that microdistrict', (t) => {
  t.deepEqual(factsOf('Мещера, мусорку у 7го дома так и не вывезли').facts.locations.map((l) => [l.municipality, l.part]), [['Канавинский район', 'Мещерское озеро']]);
});

test('locations: the place of a cause the post asks about is marked, where things are is not', (t) => {
  const causes = (text: string) => factsOf(text).facts.locations.map((l) => [l.municipality, l.cause === true]);
  t.deepEqual(causes('Ларина 17, нет холодной воды с ночи. это тоже из-за аварии в Канавино?'), [['Канавинский район', true]]);
  t.deepEqual(causes('в Канавино нет воды из-за аварии'), [['Канавинский район', false]]);
});

test('locations: where a trip goes or comes from is marked as a trip, where things are is not', (t) => {
  const trips = (text: string) => factsOf(text).facts.locations.map((l) => [l.municipality, l.trip === true]);
  t.deepEqual(trips('Автобус на Нижний в 6:20 не пришёл'), [['Нижний Новгород', true]]);
  t.deepEqual(trips('Автобус Урень — Нижний опять опоздал'), [['Урень', false], ['Нижний Новгород', true]]);
  t.deepEqual(trips('ездим до Арзамаса, а в Выксу не пускают'), [['Арзамас', true], ['Выкса', true]]);
  t.deepEqual(trips('в Нижнем и в Выксе нет света, в Кстово тоже'), [['Нижний Новгород', false], ['Выкса', false], ['Кстово', false]]);
  // A name that does not decline is a trip's end beside a verb of taking or going.
  t.deepEqual(trips('сидим в куртках, ребенка к бабушке в Канавино отвезли'), [['Канавинский район', true]]);
  t.deepEqual(trips('в Канавино нет света с утра'), [['Канавинский район', false]]);
  // A district's adjective before a landmark is where the landmark is.
  t.deepEqual(trips('У входа в Сормовский парк стая собак'), [['Сормовский район', false]]);
  t.deepEqual(trips('мы переехали в Сормовский район'), [['Сормовский район', true]]);
});

test('address: a street in the gazetteer\'s lists knows its city district, unless another settlement is written with it', (t) => {
  const districts = (text: string) => factsOf(text).facts.addresses.map((a) => a.district?.name ?? null);
  t.deepEqual(districts('Свет вырубило на Мончегорской и на ул. Лескова 12'), ['Автозаводский район', 'Автозаводский район']);
  t.deepEqual(districts('на ул. Академика Сахарова 107 темно'), ['Приокский район']);
  t.deepEqual(districts('Пр. Ильича 33 — нет света'), ['Автозаводский район']);
  t.deepEqual(districts('Кораблестроителей 22, воду дали'), ['Сормовский район']);
  t.deepEqual(districts('Юбилейный бульвар 24, второй подъезд — лифт не работает'), ['Сормовский район']);
  // A street that crosses two districts has none: улица Федосеенко runs from Сормово into Московский.
  t.deepEqual(districts('на улице Федосеенко 52 нет света'), [null]);
  t.deepEqual(districts('Малоэтажная ул., д. 8 — отсутствует отопление'), ['Приокский район']);
  // "Красных Зорь" and "Краснодонцев" share a place key, not a street.
  t.deepEqual(districts('на улице Красных Зорь раскопали'), [null]);
  t.deepEqual(districts('г. Бор, ул. Лескова, 5'), [null]);
});

test('address: a listed street written bare, with no type or preposition, is a street; an unlisted capitalised word is not', (t) => {
  const streets = (text: string) => factsOf(text).facts.addresses.map((a) => [a.street, a.district?.name]);
  t.deepEqual(streets('Дали свет!! Мончегорская, в 22:30 загорелось'), [['Мончегорская', 'Автозаводский район']]);
  t.deepEqual(streets('Строкина тоже без света'), [['Строкина', 'Автозаводский район']]);
  t.deepEqual(streets('Петрова тоже без света, Сидоров звонил'), []);
  t.deepEqual(factsOf('коминтерна 41 подтверждаю холодные').facts.addresses.map((a) => [a.street, a.house]), [['коминтерна', '41']], 'lower case with its house');
  t.deepEqual(streets('в доме культуры концерт'), [], 'lower case without a house');
  t.deepEqual(streets('краснодонцев поликлиника: к лору не записаться'), [['краснодонцев', 'Автозаводский район']], 'lower case opening the post');
  t.deepEqual(streets('Не пишут. краснодонцев поликлиника опять'), [['краснодонцев', 'Автозаводский район']], 'lower case opening a sentence');
  t.deepEqual(streets('ходим в поликлинику на краснодонцев опять'), [['краснодонцев', 'Автозаводский район']]);
  t.deepEqual(streets('Автозавод, мончегорская, почти две недели без лифта'), [['мончегорская', 'Автозаводский район']], 'lower case opening a clause');
  t.deepEqual(streets('фонари не горят с октября'), [], 'a month');
  const { clean, facts } = factsOf('Верхние Печеры без света!! Богдановича, Верхнепечерская');
  t.deepEqual(facts.addresses.map((a) => a.text), ['Богдановича', 'Верхнепечерская']);
  everySpanSlices(t, clean, facts);
});

test('locations: lower-case ordinary words are not strict place names', (t) => {
  t.deepEqual(factsOf('на нижнем этаже сосновый бор вырубили').facts.locations, []);
});

test('organizations with kinds', (t) => {
  const { clean, facts } = factsOf(
    'УК «Домком» и ТСЖ "Радуга" молчат, МУП «Теплосеть» тоже. Школа № 5 и детский сад №12 без тепла, в поликлинике № 3 очередь, ЦРБ закрыта. Звонили в Водоканал, ДУК и администрацию Сормовского района',
  );
  const kinds = facts.organizations.map((o) => [o.text, o.kind]);
  t.deepEqual(kinds, [
    ['УК «Домком»', 'management_company'],
    ['ТСЖ "Радуга"', 'hoa'],
    ['МУП «Теплосеть»', 'municipal_enterprise'],
    ['Школа № 5', 'school'],
    ['детский сад №12', 'kindergarten'],
    ['поликлинике № 3', 'clinic'],
    ['ЦРБ', 'hospital'],
    ['Водоканал', 'utility'],
    ['ДУК', 'management_company'],
    ['администрацию Сормовского района', 'administration'],
  ]);
  everySpanSlices(t, clean, facts);
});


test('organizations: a school or kindergarten numbered first, as parents say it, in digits or in words', (t) => {
  for (const [text, expected] of [
    ['в 14м садике опять холодно, а в 22й школе течёт крыша; 14 сад так и не прогрели', [['14м садике', 'kindergarten'], ['22й школе', 'school'], ['14 сад', 'kindergarten']]],
    ['в четвёртой школе холодно, собаки у восьмой школы, а в пятнадцатом садике нет воды', [['четвёртой школе', 'school'], ['восьмой школы', 'school'], ['пятнадцатом садике', 'kindergarten']]],
  ] as const) {
    const { clean, facts } = factsOf(text);
    t.deepEqual(facts.organizations.map((o) => [o.text, o.kind]), expected.map((pair) => [...pair]), text);
    everySpanSlices(t, clean, facts);
  }
  t.deepEqual(factsOf('5 школ района закрыли на карантин').facts.organizations, []);
  // Clinics and hospitals are numbered first as well.
  t.deepEqual(factsOf('21я поликлиника это ад, а в 33-й больнице нет мест').facts.organizations.map((o) => [o.text, o.kind]), [['21я поликлиника', 'clinic'], ['33-й больнице', 'hospital']]);
  t.deepEqual(factsOf('10 поликлиник города перешли на электронную запись').facts.organizations, []);
  t.deepEqual(factsOf('вторая смена в школе до семи').facts.organizations, []);
});

test('organizations: inflected utility names, town grids and water utilities, providers', (t) => {
  const { clean, facts } = factsOf(
    'Писали в Россетей приёмную и в Энергосбыта офис, Арзамасские электросети молчат, РЭС не берёт трубку. ' +
      'Выксунский водоканал отключил воду, а Нижэкологию-НН не дозваться. Автобусы Арзамасавтотранса не ходят. ' +
      'Сад «Ромашка» без тепла, в музыкальной школе № 2 тоже. Почта России потеряла посылку, Ростелеком третий день без интернета.',
  );
  t.deepEqual(
    facts.organizations.map((o) => [o.text, o.kind]),
    [
      ['Россетей', 'energy_company'],
      ['Энергосбыта', 'energy_company'],
      ['Арзамасские электросети', 'energy_company'],
      ['РЭС', 'energy_company'],
      ['Выксунский водоканал', 'utility'],
      ['Нижэкологию-НН', 'waste_operator'],
      ['Арзамасавтотранса', 'transport_operator'],
      ['музыкальной школе № 2', 'school'],
      ['Почта России', 'company'],
      ['Ростелеком', 'company'],
    ],
  );
  everySpanSlices(t, clean, facts);
});

test('organizations: a kindergarten needs its number or name; a power plant may go by its town', (t) => {
  const texts = (text: string) => factsOf(text).facts.organizations.map((o) => o.text);
  t.deepEqual(texts('Сад у дома зарос, садик рядом закрыли'), []);
  t.deepEqual(texts('Детский сад «Берёзка» и Новогорьковская ТЭЦ'), ['Детский сад «Берёзка»', 'Новогорьковская ТЭЦ']);
});
test('dates, times, relative mentions and durations', (t) => {
  const { clean, facts } = factsOf('12.11.2026 с 8:00 отключили воду, вчера обещали к 12 ноября, уже третий день ждём, с понедельника звоним, уже месяц обещают');
  t.deepEqual(
    facts.dates.map((d) => [d.text, d.kind, d.value]),
    [
      ['12.11.2026', 'date', '2026-11-12'],
      ['с 8:00', 'time', undefined],
      ['вчера', 'relative', undefined],
      ['12 ноября', 'date', undefined],
      ['уже третий день', 'duration', undefined],
      ['с понедельника', 'relative', undefined],
      ['уже месяц', 'duration', undefined],
    ],
  );
  everySpanSlices(t, clean, facts);
});

test('dates: listed days, a month of a year, a day of the month, deadlines by weekday, year or holiday', (t) => {
  const { clean, facts } = factsOf(
    'Воду отключали 3, 10 и 17 марта, свет 7–9 апреля. Ремонт обещали в мае 2025 года, потом до 20 числа, потом к среде, ' +
      'теперь к 2027 году. Мусор лежит с Рождества',
  );
  t.deepEqual(
    facts.dates.map((d) => [d.text, d.kind]),
    [
      ['3', 'date'],
      ['10', 'date'],
      ['17 марта', 'date'],
      ['7', 'date'],
      ['9 апреля', 'date'],
      ['в мае 2025 года', 'date'],
      ['до 20 числа', 'date'],
      ['к среде', 'relative'],
      ['к 2027 году', 'relative'],
      ['с Рождества', 'relative'],
    ],
  );
  everySpanSlices(t, clean, facts);
  // A house number or a count before a month-less list stays what it was.
  t.deepEqual(factsOf('дома 3 и 5 без света, 2 и 3 подъезды').facts.dates, []);
});

test('invalid calendar dates are not resolved', (t) => {
  const d = factsOf('31.02.2026 и 45.13.2026').facts.dates;
  t.true(d.every((x) => x.value === undefined));
});

test('phones are normalised to E.164', (t) => {
  const { clean, facts } = factsOf('Звоните: +7 (831) 212-34-56, 8-920-123-45-67, 89101234567 или 8 (8313) 21-23-45. Счёт 123456789012');
  t.deepEqual(facts.phones.map((p) => p.normalized), ['+78312123456', '+79201234567', '+79101234567', '+78313212345']);
  everySpanSlices(t, clean, facts);
});

test('extract(doc, span) returns only facts inside the span', (t) => {
  const doc = toolkit.normalizer.normalize('На ул. Ленина, 5 нет воды с 8:00. В Дзержинске на пр-те Циолковского 10 яма, звоните 89201234567');
  const first = doc.sentences[0];
  t.truthy(first);
  if (!first) return;
  const inFirst = toolkit.extractor.extract(doc, first.span);
  t.deepEqual(inFirst.addresses.map((a) => a.street), ['улица Ленина']);
  t.deepEqual(inFirst.dates.map((d) => d.text), ['с 8:00']);
  t.deepEqual(inFirst.locations, []);
  t.deepEqual(inFirst.phones, []);
  const all = toolkit.extractor.extract(doc);
  t.deepEqual(all.addresses.map((a) => [a.street, a.house]), [['улица Ленина', '5'], ['проспект Циолковского', '10']]);
  t.is(all.phones.length, 1);
  t.deepEqual(all.locations.map((l) => l.municipality), ['Дзержинск']);
});

test('empty doc has empty facts', (t) => {
  const facts = toolkit.extractor.extract(toolkit.normalizer.normalize(''));
  t.deepEqual(facts, { addresses: [], locations: [], organizations: [], dates: [], phones: [] });
});
