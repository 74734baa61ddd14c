/**
 * Deterministic synthetic corpus of citizen posts for benchmarks.
 *
 * Posts are assembled from small phrase tables (templates with `{slot}` placeholders), so the
 * corpus is varied — every category, non-problem chatter, multi-problem posts, near-duplicate
 * reposts, typos, caps, emoji, lengths from one-liners to ~1,500 characters — while the file
 * stays small and the output depends only on `count` and `seed`.
 */
import type { PostInput, PostLocation } from '../core/types.js';

type Rng = () => number;

/** mulberry32: tiny, fast, good enough for test data. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const chance = (r: Rng, p: number): boolean => r() < p;

// ---------------------------------------------------------------------------------------------
// Places

interface Settlement {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  readonly districts: readonly string[];
  readonly streets: readonly string[];
}

const NN_STREETS = [
  'ул. Белинского', 'ул. Родионова', 'ул. Коминтерна', 'ул. Ванеева', 'ул. Ватутина', 'пр-т Гагарина',
  'ул. Федосеенко', 'ул. Заломова', 'ул. Бекетова', 'ул. Ларина', 'ул. Чкалова', 'ул. Горького',
  'ул. Костина', 'ул. Краснодонцев', 'ул. Веденяпина', 'пр-т Ленина', 'ул. Культуры', 'ул. Ефремова',
  'ул. Ошарская', 'ул. Большая Покровская', 'Московское ш.', 'ул. Берёзовская', 'ул. Бурнаковская',
  'ул. Светлоярская', 'ул. Юбилейный бульвар', 'ул. Генерала Зимина', 'ул. Июльских Дней', 'ул. Кораблестроителей',
] as const;

const SETTLEMENTS: readonly Settlement[] = [
  {
    name: 'Нижний Новгород', lat: 56.3, lon: 43.95,
    districts: ['Автозаводский', 'Канавинский', 'Ленинский', 'Московский', 'Нижегородский', 'Приокский', 'Советский', 'Сормовский'],
    streets: NN_STREETS,
  },
  { name: 'Дзержинск', lat: 56.24, lon: 43.45, districts: [], streets: ['пр-т Циолковского', 'ул. Грибоедова', 'ул. Терешковой', 'ул. Гайдара', 'ул. Чапаева', 'ул. Пирогова', 'ул. Урицкого', 'пр-т Ленинского Комсомола'] },
  { name: 'Арзамас', lat: 55.39, lon: 43.84, districts: [], streets: ['ул. Калинина', 'ул. Парковая', 'ул. Мира', 'ул. Володарского'] },
  { name: 'Бор', lat: 56.36, lon: 44.07, districts: [], streets: ['ул. Луначарского', 'ул. Ленина', 'ул. Степана Разина'] },
  { name: 'Кстово', lat: 56.15, lon: 44.2, districts: [], streets: ['ул. Островского', 'ул. Ленина', 'пр-т Капитанова'] },
  { name: 'Выкса', lat: 55.32, lon: 42.17, districts: [], streets: ['ул. Ленина', 'ул. Островского', 'ул. Братьев Баташевых'] },
  { name: 'Павлово', lat: 55.96, lon: 43.07, districts: [], streets: ['ул. Фаворского', 'ул. Шмидта', 'ул. Коммунистическая'] },
  { name: 'Балахна', lat: 56.49, lon: 43.6, districts: [], streets: ['ул. Энгельса', 'ул. Дзержинского', 'ул. Свердлова'] },
  { name: 'Городец', lat: 56.64, lon: 43.47, districts: [], streets: ['ул. Кирова', 'ул. Республиканская', 'ул. Пролетарская'] },
];

interface Place {
  readonly settlement: Settlement;
  readonly district: string | null;
  readonly street: string;
  readonly house: string;
}

function randomPlace(r: Rng): Place {
  const settlement = chance(r, 0.6) ? (SETTLEMENTS[0] as Settlement) : pick(r, SETTLEMENTS);
  const district = settlement.districts.length > 0 ? pick(r, settlement.districts) : null;
  const letter = chance(r, 0.15) ? pick(r, ['а', 'б', 'в']) : '';
  return { settlement, district, street: pick(r, settlement.streets), house: `${int(r, 1, 210)}${letter}` };
}

/** The bare street name without its type: `ул. Белинского` → `Белинского`. */
const bare = (street: string): string => street.replace(/^(ул\.|пр-т|Московское ш\.)\s*/, '') || 'Московское шоссе';

/** An address written the way people write it: many forms, sometimes none at all. */
function address(r: Rng, p: Place): string {
  const s = bare(p.street);
  const korp = `корп ${int(r, 1, 4)}`;
  const forms = [
    `${p.street}, д. ${p.house}`,
    `${s} ${p.house}`,
    `на ${s} ${p.house} ${korp}`,
    `у дома ${p.house} на ${s}`,
    `${p.street} ${p.house}`,
    `д. ${p.house} по ${p.street}`,
    `${s.toLowerCase()} ${p.house}`,
    `${p.street}, ${p.house}, ${korp}`,
  ];
  const addr = pick(r, forms);
  return p.settlement.name !== 'Нижний Новгород' && chance(r, 0.5) ? `${p.settlement.name}, ${addr}` : addr;
}

// ---------------------------------------------------------------------------------------------
// Phrase tables

const DURATIONS = ['третий день', 'с понедельника', 'уже неделю', 'вторую неделю', 'с 10 ноября', 'второй месяц', 'с утра', 'со вчерашнего вечера', 'уже 5 дней', 'с пятницы', 'целый месяц'];
const UK = ['УК «Нагорная»', 'УК «Сормовский дом»', 'УК «ДомСервис»', 'УК «Жилсервис»', 'ТСЖ «Луч»', 'ТСЖ «Октябрь»', 'УК «Заречье»', 'управляйка'];
const REGOP = ['ООО «ЭкоВывоз-НН»', 'регоператор', 'МУП «Чистый город»'];
const CLINICS = ['поликлинике № 1', 'поликлинике № 3', 'поликлинике № 7', 'детской поликлинике № 2', 'поликлинике на Пирогова'];
const SCHOOLS = ['школе № 5', 'школе № 17', 'школе № 75', 'гимназии № 2', 'лицее № 8'];
const KINDERGARTENS = ['детском саду № 212', 'детском саду № 14', 'садике № 45'];
const ITEMS = ['зимнюю резину R15', 'детскую коляску', 'диван', 'велосипед', 'холодильник', 'шкаф-купе', 'санки', 'ноутбук'];
const PETS = ['рыжая собака', 'серая кошка', 'чёрный кот', 'пёс похожий на корги', 'белая кошка с голубыми глазами'];
const SPECIALISTS = ['стоматолога', 'педиатра', 'мастера по ремонту стиральных машин', 'сантехника', 'репетитора по математике'];
const VENUES = ['ДК Сормовский', 'ДК Химиков', 'кремле', 'парке Швейцария', 'библиотеке на Варварской'];

type Slot = (r: Rng, p: Place) => string;
const SLOTS: Readonly<Record<string, Slot>> = {
  addr: address,
  street: (_r, p) => p.street,
  s: (_r, p) => bare(p.street),
  house: (_r, p) => p.house,
  town: (_r, p) => p.settlement.name,
  district: (r, p) => p.district ?? pick(r, (SETTLEMENTS[0] as Settlement).districts),
  dur: (r) => pick(r, DURATIONS),
  uk: (r) => pick(r, UK),
  regop: (r) => pick(r, REGOP),
  clinic: (r) => pick(r, CLINICS),
  school: (r) => pick(r, SCHOOLS),
  kg: (r) => pick(r, KINDERGARTENS),
  route: (r) => String(int(r, 1, 90)),
  temp: (r) => String(int(r, 12, 17)),
  mins: (r) => String(int(r, 20, 90)),
  item: (r) => pick(r, ITEMS),
  price: (r) => String(int(r, 5, 150) * 100),
  phone: (r) => `+7 900 000-${String(int(r, 0, 99)).padStart(2, '0')}-${String(int(r, 0, 99)).padStart(2, '0')}`,
  pet: (r) => pick(r, PETS),
  spec: (r) => pick(r, SPECIALISTS),
  venue: (r) => pick(r, VENUES),
  hour: (r) => `${int(r, 10, 19)}:00`,
  day: (r) => String(int(r, 1, 30)),
};

function fill(r: Rng, template: string, place: Place): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const slot = SLOTS[name];
    return slot ? slot(r, place) : whole;
  });
}

export const CORPUS_CATEGORIES = ['housing', 'roads', 'waste', 'urban', 'transport', 'health', 'education', 'social', 'energy', 'ecology', 'safety', 'other'] as const;
type Category = (typeof CORPUS_CATEGORIES)[number];

/** One problem clause per template; weights roughly follow real complaint volumes. */
const PROBLEMS: Readonly<Record<Category, { readonly weight: number; readonly templates: readonly string[] }>> = {
  housing: { weight: 22, templates: [
    '{addr} — нет горячей воды {dur}, {uk} трубку не берёт',
    'батареи ледяные {dur}, дома +{temp}, ребёнок болеет. {addr}',
    'в подъезде {addr} воняет канализацией, подвал затоплен {dur}',
    'лифт не работает {dur} ({addr}), пожилые люди не могут выйти из квартир',
    'течёт крыша, {addr}, на последнем этаже потолок мокрый, {uk} не приходит',
    'в подъезде {addr} пахнет газом!!! вызвали аварийку',
    'с крыши дома {addr} свисают огромные сосульки прямо над входом',
    'в подвале {addr} прорвало трубу, пар идёт в подъезд',
    '{uk} не убирает подъезд {dur}, грязь и окурки, {addr}',
  ] },
  roads: { weight: 16, templates: [
    'на {s} {house} яма огромная, колесо пробил, диск погнул',
    '{addr} — провал асфальта, огородили одной лентой, ночью не видно',
    'не работает светофор на перекрёстке {street} и {s} {dur}, все едут как хотят',
    'дорогу на {s} не чистят, каша по колено, маршрутки буксуют',
    'стёрлась разметка на переходе у дома {house} на {s}, машины не пропускают',
    'раскопали дорогу на {s} и бросили {dur}, объезда нет',
    'открытый люк посреди дороги {addr}, крышки нет',
  ] },
  waste: { weight: 14, templates: [
    'мусор не вывозят {dur}, {addr}, баки переполнены',
    'контейнерная площадка у {addr} завалена, крысы бегают среди бела дня',
    'несанкционированная свалка за гаражами на {s} растёт {dur}',
    '{regop} не забирает крупногабарит {dur}, диваны стоят у баков',
    'КОГДА ВЫВЕЗУТ МУСОР {addr}???',
    'мусоропровод забит до 3 этажа, {addr}, тараканы',
  ] },
  urban: { weight: 12, templates: [
    'во дворе {addr} сломана детская площадка, торчат гвозди',
    'не горят фонари на {s} {dur}, вечером страшно идти',
    'тротуары на {s} никто не посыпает, гололёд, люди падают',
    'упавшее дерево лежит во дворе {addr} {dur}',
    'лавочки и урны у {addr} сломаны, благоустроили называется',
    'машины паркуются на газоне и детской площадке {addr}',
  ] },
  transport: { weight: 8, templates: [
    'автобус № {route} не ходит {dur}, стоим на остановке по {mins} минут',
    'маршрутка {route} сегодня не пришла, все опоздали на работу',
    'трамвай {route} битком, интервал полчаса',
    'остановку на {s} снесли, а новую так и не поставили',
    'в автобусе {route} не работает отопление, холодно как на улице',
  ] },
  health: { weight: 6, templates: [
    'в {clinic} невозможно записаться к терапевту, талонов нет {dur}',
    'скорую ждали 2 часа, {addr}',
    'в аптеках нет льготных лекарств {dur}',
    'в {clinic} не работает лифт {dur}, к врачу на 4 этаж пешком',
  ] },
  education: { weight: 5, templates: [
    'в {school} холодно в классах, дети сидят в куртках',
    'в {kg} группа 35 детей и один воспитатель',
    'в {school} сломалась столовая, детей кормят булкой с чаем {dur}',
    'школьный автобус до {school} не пришёл, дети час стояли в темноте',
  ] },
  social: { weight: 4, templates: [
    'в соцзащите ({town}) не работает электронная очередь {dur}, пенсионеры стоят по 3 часа',
    'многодетным не выплачивают компенсацию {dur}, в соцзащите ссылаются на сбой',
    'отказали в субсидии на ЖКУ без объяснений, пенсионерке одной как жить',
    'инвалиду второй месяц не выдают коляску, говорят нет на складе',
  ] },
  energy: { weight: 5, templates: [
    'нет света {dur}, {addr}, холодильник потёк',
    'висит оборванный провод у {addr}, дети ходят мимо!!!',
    'искрит трансформаторная будка у {addr}, боимся пожара',
    'свет моргает {dur} во всём доме {addr}, техника сгорела',
  ] },
  ecology: { weight: 3, templates: [
    'опять химическая вонь вечером, {town}, окна не открыть, голова болит',
    'из трубы завода на {s} чёрный дым, весь снег серый',
    'в речку у {s} что-то сливают, пена и запах',
  ] },
  safety: { weight: 3, templates: [
    'в заброшке на {s} опять пожар, подростки туда лазят',
    'стая бездомных собак у {school}, кидаются на детей',
    'гонщики до 2 ночи на {s}, полиция не едет',
    'в подъезде {addr} ночуют неадекватные люди, дверь не закрывается',
  ] },
  other: { weight: 2, templates: [
    'в МФЦ ({town}) запись только через месяц',
    'почта на {s} закрыта {dur}, посылки не выдают',
  ] },
};

const NON_PROBLEMS: readonly string[] = [
  'Продам {item}, {price} руб, торг. {phone}',
  'Отдам даром {item}, самовывоз, {district} район',
  'Спасибо {uk} за оперативность! вечером написали, утром всё сделали 👍',
  'Огромное спасибо врачам скорой, приехали за 15 минут 🙏',
  'Потерялась {pet}, район {s}. Очень ждём дома 😭 {phone}',
  'Найден {pet} у дома {house} на {s}, хозяин отзовись!',
  'Подскажите хорошего {spec}, {district} район',
  'отвечаю на вопрос выше: на {s} есть, ходим всей семьёй, норм',
  'Какой красивый сегодня закат над Волгой 😍',
  'В субботу в {venue} бесплатный концерт в {hour}, приходите с детьми',
  'Доброе утро, {town}! Сегодня −{day}, без осадков ☀️',
  'кто смотрел хоккей вчера? Торпедо красавцы 🏒',
  'В городе {town} открылся новый физкультурный комплекс с бассейном',
  'С 1 декабря запускают новый автобусный маршрут № {route}',
  'Ярмарка выходного дня на Нижневолжской набережной в субботу с 10:00, вход свободный',
  'первый снег и весь город в пробках 😅 классика',
  'Где сделать ключ от домофона на {s}? срочно',
  'Кто на рыбалку в выходные? место в машине есть 🎣',
];

const OPENERS = ['', '', '', 'Люди добрые, ', 'Доброго дня. ', 'ЖЕСТЬ. ', 'Подскажите, кто отвечает? ', 'Накипело. ', 'Соседи, ', 'Пишу уже не первый раз: ', 'Жители просят обратить внимание: '];
const CLOSERS = ['', '', 'Сколько можно???', 'Куда звонить?', 'ЦУР, помогите!', 'Примите меры!!!', 'Платим за всё, а толку ноль.', 'Позор.', 'Кто-нибудь вообще это читает?', 'Просим разобраться.'];
const CONNECTORS = ['. А ещё ', ', а ', '. И ещё: ', '. Кроме того, ', '!!! плюс ', '. Заодно: '];
const FILLERS = [
  'Звонили в аварийку — сказали ждите.',
  'Писали в администрацию района, пришла отписка.',
  'Заявку приняли и закрыли без выполнения.',
  'Соседи подтвердят, это длится не первый месяц.',
  'Дети, пенсионеры, инвалиды — всем всё равно.',
  'Фото и видео есть, могу прислать.',
  'Если кто-то из ответственных это читает, приезжайте и посмотрите сами.',
  'Мы платим по квитанциям полностью и вовремя.',
  'Раньше такого не было, всё стало хуже за последние два года.',
  'Коллективное обращение подписали 40 человек.',
  'Я понимаю, что денег нет, но элементарные вещи можно сделать.',
  'В прошлом году обещали исправить к зиме, зима пришла.',
];
const FORMAL_HEADS = ['Уважаемая администрация! ', 'Уважаемые сотрудники ЦУР! ', 'Здравствуйте. Прошу принять меры. ', 'Уважаемый глава района! '];
const FORMAL_TAILS = ['Прошу взять ситуацию на контроль.', 'Просим принять меры. С уважением, жители дома.', 'Прошу дать письменный ответ.'];
const EMOJI = ['😡', '🤬', '😱', '🤢', '😭', '🙏', '👍', '❄️', '🔥', '⚠️', '🤦‍♀️', '😤', '🙄', '💩', '🚧', '🗑'];
const HASHTAGS = ['#жалоба', '#ЖКХ', '#дороги', '#НижнийНовгород', '#Дзержинск', '#Сормово', '#Автозавод', '#помогите'];
const AUTHORS = ['Анонимно', 'Наталья В.', 'Игорь', 'Светлана М.', 'Валерий', 'Ольга Р.', 'Дмитрий К.', 'nn_olga84', 'Галина П.', 'Сергей Л.', 'Ирина', 'Максим', 'Людмила Степановна', 'Редакция', 'Подписчик'];

const SOURCES = [
  { id: 'vk-nn-overheard', url: (n: number) => `https://vk.com/wall-999000001_${n}` },
  { id: 'vk-sormovo', url: (n: number) => `https://vk.com/wall-999000002_${n}` },
  { id: 'ok-dzerzhinsk', url: (n: number) => `https://ok.ru/group/999000000000003/topic/${n}` },
  { id: 'tg-nn-zhaloby', url: (n: number) => `https://t.me/radar_demo_nn_zhaloby/${n}` },
  { id: 'news-nn-segodnya', url: (n: number) => `https://nn-segodnya.example/news/${n}` },
] as const;
export const CORPUS_SOURCES: readonly string[] = SOURCES.map((s) => s.id);

const START_MS = Date.UTC(2026, 10, 1);
const SPAN_MS = 30 * 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------
// Noise

const CATEGORY_TOTAL = CORPUS_CATEGORIES.reduce((sum, c) => sum + PROBLEMS[c].weight, 0);
function pickCategory(r: Rng): Category {
  let x = r() * CATEGORY_TOTAL;
  for (const c of CORPUS_CATEGORIES) {
    x -= PROBLEMS[c].weight;
    if (x < 0) return c;
  }
  return 'other';
}

const capitalize = (s: string): string => (s ? (s[0] as string).toUpperCase() + s.slice(1) : s);
/** Close a sentence unless it already ends with `.`, `!` or `?`. */
const sentence = (s: string, mark = '.'): string => (/[.!?]$/.test(s) ? capitalize(s) : capitalize(s) + mark);

/** Swap, drop or double a letter at a few random places. */
function typos(r: Rng, text: string, n: number): string {
  const chars = [...text];
  for (let k = 0; k < n && chars.length > 3; k++) {
    const i = int(r, 1, chars.length - 2);
    if (!/\p{L}/u.test(chars[i] as string)) continue;
    const op = int(r, 0, 2);
    if (op === 0) [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
    else if (op === 1) chars.splice(i, 1);
    else chars.splice(i, 0, chars[i] as string);
  }
  return chars.join('');
}

function style(r: Rng, text: string): string {
  let t = text;
  const x = r();
  if (x < 0.25) t = t.toLowerCase();
  else if (x < 0.3) t = t.toUpperCase();
  else if (x < 0.4) t = t.replace(/\p{L}{4,}/u, (w) => w.toUpperCase());
  if (chance(r, 0.15)) t = t.replace(/[.,:;]/g, '');
  if (chance(r, 0.2)) t = t.replace(/[.!?]+$/, '') + pick(r, ['!!!', '???', '?!', '!!!!!']);
  if (chance(r, 0.35)) t = typos(r, t, int(r, 1, 3));
  if (chance(r, 0.4)) t += ' ' + Array.from({ length: int(r, 1, 3) }, () => pick(r, EMOJI)).join('');
  return t;
}

// ---------------------------------------------------------------------------------------------
// Post bodies

function problemText(r: Rng, multi: boolean, place: Place): string {
  const first = pickCategory(r);
  const clauses = [fill(r, pick(r, PROBLEMS[first].templates), place)];
  if (multi) {
    const extra = int(r, 1, 2);
    for (let k = 0; k < extra; k++) {
      let c = pickCategory(r);
      if (c === first) c = pick(r, CORPUS_CATEGORIES);
      const p = chance(r, 0.6) ? place : randomPlace(r);
      clauses.push(fill(r, pick(r, PROBLEMS[c].templates), p));
    }
  }
  let body = clauses[0] as string;
  for (const c of clauses.slice(1)) body += pick(r, CONNECTORS) + c;

  const shape = r();
  if (shape < 0.25 && !multi) return style(r, body);
  if (shape < 0.8) {
    const text = `${pick(r, OPENERS)}${sentence(body)} ${pick(r, CLOSERS)}`.trim();
    return style(r, text);
  }
  // long: a rant or a formal complaint padded with detail sentences up to ~1,500 characters
  const formal = chance(r, 0.4);
  const target = int(r, 400, 1450);
  let text = formal ? `${pick(r, FORMAL_HEADS)}${sentence(body)}` : `${pick(r, OPENERS)}${sentence(body, '!')}`;
  const tail = formal ? ` ${pick(r, FORMAL_TAILS)}` : ` ${pick(r, CLOSERS)}`;
  const used = new Set<string>();
  for (let guard = 0; guard < 40; guard++) {
    const next = chance(r, 0.7) ? pick(r, FILLERS) : sentence(fill(r, pick(r, PROBLEMS[first].templates), place));
    if (used.has(next)) continue;
    if (text.length + next.length + 1 + tail.length > target) break;
    used.add(next);
    text += (chance(r, 0.15) ? '\n\n' : ' ') + next;
  }
  text = (text + tail).trimEnd();
  return formal ? text : style(r, text);
}

function nonProblemText(r: Rng, place: Place): string {
  if (chance(r, 0.03)) return Array.from({ length: int(r, 1, 5) }, () => pick(r, EMOJI)).join('');
  return style(r, fill(r, pick(r, NON_PROBLEMS), place));
}

function nearDuplicate(r: Rng, text: string): string {
  let t = text;
  const x = r();
  if (x < 0.3) t = `Репост из «${pick(r, CORPUS_SOURCES)}»: ${t}`;
  else if (x < 0.5) t = `Пересылаю: ${t}`;
  if (chance(r, 0.5)) t += `\n${pick(r, HASHTAGS)} ${pick(r, HASHTAGS)}`;
  if (chance(r, 0.4)) t += ` ${pick(r, EMOJI)}`;
  if (chance(r, 0.3)) t = typos(r, t, 1);
  return t;
}

function location(r: Rng, p: Place): PostLocation {
  const lat = Math.round((p.settlement.lat + (r() - 0.5) * 0.08) * 1e5) / 1e5;
  const lon = Math.round((p.settlement.lon + (r() - 0.5) * 0.12) * 1e5) / 1e5;
  return chance(r, 0.7) ? { lat, lon, address: `${p.street}, ${p.house}` } : { lat, lon };
}

const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * `count` synthetic posts, identical for the same `(count, seed)`: ~55 % problems (about a fifth of
 * them multi-problem), ~35 % non-problems, ~10 % near-duplicate copies of an earlier post in
 * another source, a few hours later. `published_at` spreads over November 2026.
 */
export function generateCorpus(count: number, seed = 1): PostInput[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const r = mulberry32(seed);
  const posts: PostInput[] = [];
  const times: number[] = [];
  const places: Place[] = [];
  for (let i = 0; i < count; i++) {
    const source = pick(r, SOURCES);
    const n = 100000 + i;
    let text: string;
    let ms: number;
    let place = randomPlace(r);
    if (i > 0 && chance(r, 0.1)) {
      const j = int(r, Math.max(0, i - 300), i - 1);
      text = nearDuplicate(r, (posts[j] as PostInput).text);
      place = places[j] as Place;
      ms = Math.min(START_MS + SPAN_MS - 1000, (times[j] as number) + int(r, 5, 360) * 60_000);
    } else {
      text = chance(r, 0.61) ? problemText(r, chance(r, 0.2), place) : nonProblemText(r, place);
      ms = START_MS + Math.floor(r() * SPAN_MS);
    }
    const post: PostInput = {
      id: `b${seed}-${n}`,
      text,
      source: source.id,
      url: source.url(n),
      author: pick(r, AUTHORS),
      published_at: iso(ms),
      ...(chance(r, 0.2) ? { location: location(r, place) } : {}),
    };
    posts.push(post);
    times.push(ms);
    places.push(place);
  }
  return posts;
}
