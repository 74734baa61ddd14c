import type { AddressFact } from '../../core/types.js';
import { compileOnFirstUse } from '../compile-regex.js';
import { eachAtWordStart, WORD_START_LOOKBEHIND } from './boundary.js';
import { overlaps } from './span.js';
import { ambiguousPrIsProezd, canonicalName, type Gender, recaseCaps } from './street-names.js';

/**
 * Street addresses. Canonical forms (stable, so that reports of one place compare equal):
 * - `street`: `<full lower-case type> <Name>`, type first whatever the word order in the post, `ё`→`е`,
 *   each name word capitalised, adjectival names put in the nominative agreeing with the type:
 *   "на Садовой улице" → "улица Садовая", "Московское ш." → "шоссе Московское", "ул. Ленина" → "улица Ленина".
 *   A street named without a type ("на Ленина 5", "на Сенной, 4") is assumed to be an `улица`.
 *   Abbreviated first names are expanded when unambiguous ("К. Маркса" → "Карла Маркса"); numbered
 *   names keep the number ("ул. 50-летия Победы", "12а микрорайон" → "микрорайон 12а").
 *   `пр.` with an adjectival name is a проезд unless the name is a common prospect name (see street-names.ts).
 * - `house`: lower-case, no spaces: number, optional `/fraction`, letter, `к<корпус>`, `с<строение>`:
 *   "5", "23а", "12/3", "5к2", "7с1"; "лит. А" is the letter. Flat numbers ("кв. 118", "15-7") are dropped.
 *   Several houses ("дома 5 и 7 по Ленина", "Кирова 9, 11 и 13") give one fact per house, sharing the span.
 * - `settlement`: canonical gazetteer name when known, otherwise as written after the settlement type.
 *   "д. Кузьминка, дом 14" (д. = деревня) is a settlement with a house, not a street.
 */

interface StreetType {
  readonly canonical: string;
  readonly gender: Gender;
  /** Full word forms (inflected). */
  readonly full: string;
  /** Abbreviations. */
  readonly abbr: string;
}

const cap = (s: string): string => `[${s[0]?.toUpperCase()}${s[0]}]${s.slice(1)}`;

const STREET_TYPES: readonly StreetType[] = [
  { canonical: 'улица', gender: 'f', full: `${cap('улиц')}(?:а|е|у|ы|ей|и)`, abbr: `${cap('ул')}\\.|${cap('ул')}(?=[\\s,])` },
  { canonical: 'проспект', gender: 'm', full: `${cap('проспект')}(?:а|е|у|ом)?`, abbr: `${cap('пр')}-к?т(?:а|е|у|ом)?\\.?|${cap('просп')}(?:\\.|(?![\\p{L}]))|${cap('пр')}\\.|${cap('пр')}(?=\\s[А-ЯЁ])` },
  { canonical: 'переулок', gender: 'm', full: `${cap('переул')}(?:ок|ка|ке|ку|ком)`, abbr: `${cap('пер')}\\.|${cap('пер')}(?=\\s)` },
  { canonical: 'бульвар', gender: 'm', full: `${cap('бульвар')}(?:а|е|у|ом)?`, abbr: `${cap('б')}-р\\.?|${cap('бул')}\\.` },
  { canonical: 'шоссе', gender: 'n', full: `${cap('шоссе')}`, abbr: `${cap('ш')}\\.` },
  { canonical: 'площадь', gender: 'f', full: `${cap('площад')}(?:ь|и|ью)`, abbr: `${cap('пл')}\\.` },
  { canonical: 'набережная', gender: 'f', full: `${cap('набережн')}(?:ая|ой|ую)`, abbr: `${cap('наб')}\\.` },
  { canonical: 'проезд', gender: 'm', full: `${cap('проезд')}(?:а|е|у|ом)?`, abbr: `${cap('пр')}-д\\.?` },
  { canonical: 'микрорайон', gender: 'm', full: `${cap('микрорайон')}(?:а|е|у|ом)?`, abbr: `${cap('мкр')}(?:-?н)?\\.?` },
];

const typeOf = (raw: string): StreetType => {
  const w = raw.toLowerCase();
  if (w.startsWith('ул')) return STREET_TYPES[0] as StreetType;
  if (w.startsWith('пр-д') || w.startsWith('проезд')) return STREET_TYPES[7] as StreetType;
  if (w.startsWith('пр')) return STREET_TYPES[1] as StreetType;
  if (w.startsWith('пер')) return STREET_TYPES[2] as StreetType;
  if (w.startsWith('б')) return STREET_TYPES[3] as StreetType;
  if (w.startsWith('ш')) return STREET_TYPES[4] as StreetType;
  if (w.startsWith('пл')) return STREET_TYPES[5] as StreetType;
  if (w.startsWith('наб')) return STREET_TYPES[6] as StreetType;
  return STREET_TYPES[8] as StreetType;
};

const streetOf = (rawType: string | undefined, name: string, nameAfterType: boolean): string => {
  let type = rawType ? typeOf(rawType) : (STREET_TYPES[0] as StreetType);
  let canonical = canonicalName(name, type.gender, nameAfterType);
  if (rawType && /^пр\.?$/i.test(rawType.trim()) && ambiguousPrIsProezd(canonical)) {
    type = STREET_TYPES[7] as StreetType;
    canonical = canonicalName(name, type.gender, nameAfterType);
  }
  return `${type.canonical} ${canonical}`;
};

const TYPE_ANY = STREET_TYPES.map((t) => `${t.full}|${t.abbr}`).join('|');

/** Capitalised words that follow a street but are not part of its name. */
const STOP_CAP = '(?:Дом|Дома|Д|Кв|Корп|Корпус|Подъезд|Напротив|Возле|Около|Рядом|Нет|Уже|Опять|Когда|Сегодня|Вчера|Там|Тут|Здесь|Все|Всё|Это|Не|Во|В|На|И|А|Но|У|По|С|Так|Как|Что|Где|Сколько|Кто|Люди|Жители|Просим|Прошу|Помогите|Срочно|Третий|Второй|УК|ТСЖ|Администрация)(?![\\p{L}])';
const STOP_LOWER = '(?:дом[а-яё]*|д|возле|около|под|над|через|перед|между|при|для|без|после|вдоль|мимо|напротив|рядом|нет|нету|не|уже|опять|в|во|на|у|и|а|с|по|там|тут|где|это|все|всё|вообще|снова|опять|когда|такой|такая|кв|корп|подъезд[а-яё]*|двор[а-яё]*|был[аио]?|есть|который|которая|очень|просто|сегодня|вчера|машин[а-яё]*|яма|ямы|мусор|света|воды|газа|свет|вода|воду|газ|лифт|лифта|лифты|лифтом|снег|лед|лёд|грязь|собаки|собак|дети|люди|народ|пробка|пробки|авария|ремонт|очередь|лужа|лужи|вонь|дым|запах|крыша|труба|трубу|сугробы|так|как|что|еще|ещё|тоже|же|ли|бы|вот|только|даже|минус|плюс|мороз|жара|дождь|ветер|гололед|гололёд)(?![\\p{L}])';
const WORD_CAP = `(?!${STOP_CAP})[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?(?:-\\d{1,2}(?![\\d]))?`;
const NUM_PREFIX = '\\d{1,3}(?:-?(?:я|й|го|ая|ой|ый|ий|ей|ое|летия))?\\s+(?:лет\\s+)?';
const INITIAL = '(?:(?:[А-ЯЁ]|Окт|Сов|Кр|Ген|Акад|Адм|Марш)\\.\\s?)';
const NAME_CAP = `(?:${NUM_PREFIX})?${INITIAL}?${WORD_CAP}(?:\\s+${WORD_CAP})?`;
/**
 * A lower-case word after the type may be no name at all: "очередь на улице стоит", "на улице
 * холодно". Street names in any case end otherwise than verbs and adverbs do.
 */
const NOT_NAME_LOWER = '[а-яё]+(?:ит|ят|ет|ут|ют|ат|ся|сь|но|ло|ли|ены|аны|ыты|иты|уты)(?![\\p{L}])';
const NAME_LOWER = `(?!${STOP_LOWER})(?!${NOT_NAME_LOWER})[а-яё]{3,}(?:-[а-яё]+)?`;

const UNITS: readonly string[] = [
  '%', '°', '‰', 'дн(?:я|ей)?', 'день', 'сут\\p{L}*', 'час\\p{L}*', 'ч\\.', 'мин(?:ут\\p{L}*|\\.)?', 'сек(?:унд\\p{L}*|\\.)?',
  'лет', 'год\\p{L}*', 'раза?', 'руб\\p{L}*', 'р\\.', '₽', 'градус\\p{L}*', 'человек\\p{L}*', 'чел', 'шт\\.?', 'метр\\p{L}*',
  'км', 'см', 'мм', 'м', 'тонн\\p{L}*', 'тыс\\p{L}*', 'недел\\p{L}*', 'месяц\\p{L}*', 'числ\\p{L}*', 'январ\\p{L}*',
  'феврал\\p{L}*', 'март\\p{L}*', 'апрел\\p{L}*', 'ма[яй]', 'июн\\p{L}*', 'июл\\p{L}*', 'август\\p{L}*', 'сентябр\\p{L}*',
  'октябр\\p{L}*', 'ноябр\\p{L}*', 'декабр\\p{L}*', 'штук\\p{L}*', 'этаж\\p{L}*', 'квартир\\p{L}*', 'домов', 'семей', 'детей',
  'класс\\p{L}*', 'процент\\p{L}*', 'маршрут\\p{L}*', 'рейс\\p{L}*',
];
/** Units in any case: all-caps posts are recased to "Title" words before matching. */
const UNIT_AFTER = `(?!\\s*(?:${UNITS.map((u) => u.replace(/^[а-яё]/, (c) => `[${c}${c.toUpperCase()}]`)).join('|')})(?![\\p{L}]))`;
/** Number, fraction, letter ("5б", "5-б", `5 "Б"`, "5 Б"), корпус, строение, литера. */
const houseCore = (digits = 4): string =>
  `\\d{1,${digits}}(?!\\d)(?:` +
  '\\s?\\/\\s?\\d{1,3})?' +
  '(?:-?[«"]?[а-яА-ЯёЁ][»"]?(?![\\p{L}\\d])|\\s?[«"][а-яА-ЯёЁ][»"]|\\s[А-ДЕЖЗ](?=\\s*(?:$|[,.;:!?)—–-])))?' +
  '(?:,?\\s?(?:к|кор|корп(?:ус)?|к\\.|кор\\.|корп\\.)\\s?\\d{1,2})?' +
  '(?:,?\\s?(?:стр(?:оение)?\\.?|с)\\s?\\d{1,2})?' +
  '(?:,?\\s?лит(?:ера)?\\.?\\s?[А-Яа-я](?![\\p{L}]))?';
/**
 * A house: flat after a hyphen ("15-7") is skipped; numbers with units, thousands ("14 200") or
 * phones ("8 (831) …") are not houses, but "127 (1-й подъезд)" is.
 */
const houseTail = `(?:-\\d{1,3}(?![\\d.:]))?(?![.:,\\/-]?\\d|\\s?[+°])(?!\\s\\d{3}(?!\\d))(?!\\s?\\(\\d{3})${UNIT_AFTER}`;
const HOUSE = `(${houseCore()})${houseTail}`;
const HOUSE_NC = `(?:${houseCore()})${houseTail}`;
/** Further houses of the same street: "9, 11 и 13", "39 и 41", "дома 3 и 5". */
const MORE = `((?:(?:\\s*[,;]\\s*|\\s+и\\s+)(?:д\\.\\s*|дом\\s+)?${HOUSE_NC}(?!\\s*(?:подъезд|под\\.|этаж|эт\\.|кв)))*)`;
const HOUSE_MARK = '(?:(?:д\\.|д|дом|дома|№)\\s*№?\\s*)';
const HOUSE_PART = `(?:\\s*,?\\s*${HOUSE_MARK}?${HOUSE}${MORE})?`;
const PREP = `(?:${['на', 'по', 'у', 'возле', 'около', 'напротив', 'рядом\\s+с', 'в\\s+районе', 'со\\s+стороны', 'вдоль', 'за', 'перед', 'между', 'про', 'с', 'со', 'до', 'от', 'к', 'из', 'через', 'адрес:?'].map(cap).join('|')})`;

/** `ул. Ленина, д. 5` */
const TYPED_RE = new RegExp(`(${TYPE_ANY})\\s*(${NAME_CAP}|${NAME_LOWER})(?![\\p{L}])${HOUSE_PART}`, 'gu');
const ADJ = '[А-ЯЁ](?:[а-яё]+-[А-ЯЁ])?[а-яё]+?(?:ая|ой|ую|ий|ый|ом|ому|ого|ое|ым|ей|яя|ее|юю|ем|ему|его|ие|ых|ими)';
const TYPE_AFTER = `${STREET_TYPES.map((t) => t.full).join('|')}|[Уу]л\\.?|[Пп]р-к?т(?:а|е|у|ом)?\\.?|[Пп]р(?:осп)?\\.|[Пп]р-д\\.?|[Пп]ер\\.|[Нн]аб\\.|[Шш]\\.|[Пп]л\\.|[Бб]-р\\.?|[Бб]ул\\.|[Мм]кр(?:-?н)?\\.?`;
/** `Московское ш. 12`, `Нижне-Волжская наб., 8` */
const ADJ_FIRST_RE = new RegExp(`((?:\\d{1,2}-?(?:я|й|ая|ой|ый|ий)\\s+)?${ADJ}(?:\\s+${ADJ})?)\\s+(${TYPE_AFTER})(?![\\p{L}])${HOUSE_PART}`, 'gu');
/** `Гагарина пр. 176`, `Вахитова пер. 3`: a person's name before the type needs a house. */
const NAME_FIRST_RE = new RegExp(
  `((?:[А-ЯЁ][а-яё]+\\s+)?${WORD_CAP})\\s+(${TYPE_AFTER})(?![\\p{L}])\\s*,?\\s*${HOUSE_MARK}?${HOUSE}${MORE}`,
  'gu',
);
/** What every NAME_FIRST_RE match contains (a type word right before the house): cheap to look for first. */
const NAME_FIRST_HINT = new RegExp(`(?:${TYPE_AFTER})(?![\\p{L}])\\s*,?\\s*${HOUSE_MARK}?\\d`, 'u');
/** `12а микрорайон, дом 5` */
const NUMBERED_MKR_RE = new RegExp(`(\\d{1,2}(?:[а-я](?<![мй]))?)(?:-?(?:й|м|ом|ый|ой))?\\s+(?:[Мм]икрорайон(?:а|е|у|ом)?|[Мм]кр(?:-?н)?\\.?)(?![\\p{L}])${HOUSE_PART}`, 'gu');
/** `у дома 5 на Ленина`, `дома 5 и 7 по Ленина`: the street needs a preposition or a type. */
const HOUSE_FIRST_RE = new RegExp(
  `(?:[Дд]ом(?:а|е|у|ом)?|[Дд]\\.)\\s*№?\\s*${HOUSE}${MORE}\\s*,?\\s*(?:(?:${PREP})\\s+(?:(${TYPE_ANY})\\s*)?|(${TYPE_ANY})\\s*)(${NAME_CAP})(?![\\p{L}])`,
  'gu',
);

/** Genitive and nominative nouns that look like a street named after a person ("Квартира 45", "Пенсия 14"). */
const NOT_NAMES = new Set([
  'нижнего', 'новгорода', 'дома', 'света', 'недели', 'года', 'дня', 'часа', 'мая', 'марта', 'ребята', 'народа', 'города', 'района',
  'области', 'москвы', 'россии', 'квартира', 'квартиры', 'школа', 'школы', 'больница', 'больницы', 'поликлиника', 'палата', 'комната',
  'группа', 'страница', 'дача', 'улица', 'глава', 'сумма', 'зарплата', 'цена', 'цены', 'неделя', 'машина', 'машины', 'остановка',
  'бригада', 'бригады', 'трасса', 'дорога', 'маршрутка', 'маршрутки', 'пенсия', 'линия', 'станция', 'лига', 'серия', 'версия', 'модель',
  'мама', 'папа', 'бабушка', 'дедушка', 'семья', 'жена', 'дочка', 'дочь', 'сына', 'врача', 'вода', 'воды', 'газа', 'работы', 'выборы',
  'часы', 'дети', 'люди', 'соседи', 'двери', 'трубы', 'батареи', 'зима', 'весна', 'осень', 'погода', 'минута', 'секунда', 'неделю',
  'скорая', 'первая', 'вторая', 'третья', 'каждая', 'такая', 'другая', 'новости', 'этой', 'той', 'какой', 'другой', 'каждой', 'одной',
  'своей', 'моей', 'нашей', 'вашей', 'всей', 'второй', 'первой', 'третьей', 'прошлой', 'следующей', 'ночной', 'дневной',
  'очередной', 'детской', 'нашего', 'вашего', 'моего', 'своего', 'этого', 'того', 'всего', 'него', 'кого', 'чего', 'сегодня', 'всегда',
  'тогда', 'когда', 'куда', 'туда', 'сюда', 'опять', 'уже', 'гибдд', 'мчс', 'сколько', 'очередь', 'итого', 'около', 'привет',
  'спасибо', 'пожалуйста', 'ура', 'беда', 'жесть', 'лифта', 'лифты', 'автобуса', 'автобусы', 'трамвая', 'троллейбуса', 'рейса', 'поезда',
  'подъезда', 'этажа', 'лицей', 'музей', 'рождества', 'пасхи', 'вчера', 'жара', 'школой', 'людей', 'детей', 'рублей', 'дней', 'метров', 'сантиметров', 'километров', 'градусов', 'процентов', 'тысяч', 'часов', 'минут', 'юбилей', 'хоккей', 'корпуса', 'отдела', 'участка', 'кабинета', 'детсада', 'лицея', 'садика', 'класса', 'палаты',
  // Masculine adjectives before a number that are no бульвар or проспект ("последний 2 автобус").
  'последний', 'маршрутный', 'районный', 'детский', 'городской', 'каждый', 'новый', 'первый', 'третий', 'который', 'этот',
]);

/** Whether a word of the name is one that never names a street ("у подъезда", "с Рождества"). */
const namesNoStreet = (name: string): boolean => name.toLowerCase().split(/\s+/).some((w) => NOT_NAMES.has(w));

/** Common street names in -ы that are also taken without a preposition ("Победы 38"). */
const FEMININE_GENITIVE_NAMES = new Set(['победы', 'свободы', 'культуры', 'весны', 'дружбы', 'правды', 'славы', 'мечты', 'природы', 'зари', 'красноармейцы']);

/** Street names without a type: genitive ("Ленина", "Героев Космоса"), adjectival ("Сенной"), numbered ("22 Партсъезда"). */
const GEN_WORD = '[А-ЯЁ](?:[а-яё]+-[А-ЯЁ])?[а-яё]+(?:а|я|ого|его|ов|ев|ей|ых|их|ы|ии|ко|ук|юк|ич)';
const GEN_FIRST = '[А-ЯЁ][а-яё]+(?:а|я|и|ов|ев|ого|его)';
const ADJ_F = '[А-ЯЁ](?:[а-яё]+-[А-ЯЁ])?[а-яё]+?(?:ая|яя|ой|ней|ую|юю)';
const TYPELESS_CAP = `\\d{1,3}(?:-?летия|\\s+лет)?\\s+${GEN_WORD}|(?:${ADJ_F}\\s+)?${ADJ_F}|${INITIAL}?(?:${GEN_FIRST}\\s+)?${GEN_WORD}`;
/** Lower-case name endings: a surname's genitive ("калинина"), an adjective ("фаворского", "бурнаковской"). */
const LOWER_GENITIVE = '(?:ина|ына|ова|ева|ёва|енко)';
const LOWER_ADJECTIVE = '(?:ского|цкого|ской|цкой|ной|вой|жной|ькой)';
const TYPELESS_LOWER = `[а-яё]{3,}(?:${LOWER_GENITIVE}|${LOWER_ADJECTIVE}|ную|скую)`;
/** A masculine name ("Мещерский 7", "на Молодёжном 30"): a бульвар or проспект, only ever with a house. */
const ADJ_M = '[А-ЯЁ][а-яё]+?(?:ский|цкий|ный|ний|ый|ском|цком|ном|нем|ым)';
const MASCULINE_NAME = new RegExp(`^${ADJ_M}$`, 'u');
const TYPELESS_RE = new RegExp(
  `${WORD_START_LOOKBEHIND(true)}(?:(${PREP})\\s+)?(${TYPELESS_CAP}|${ADJ_M}|${TYPELESS_LOWER})(?![\\p{L}-])\\s*,?\\s*(?:д\\.|д(?=\\s?\\d)|дом)?\\s*(${houseCore(3)})${houseTail}${MORE}`,
  'gu',
);
/** `На Ошарской опять ремонт, у дома 14`: a bare name after a preposition, with a house later in the sentence. */
const TYPELESS_LATER_RE = new RegExp(
  `(${PREP})\\s+(${TYPELESS_CAP})(?![\\p{L}])[^.!?\\n\\d]{0,60}?[\\s,](?:(?:[Уу]|[Вв]озле|[Оо]коло|[Нн]апротив|[Рр]ядом\\s+с)\\s+)?дом(?:а|е|ом)?\\s*№?\\s*${HOUSE}`,
  'gu',
);
/**
 * `на Бекетова драка`, `по Ошарской автобус убрали`: a bare name after a preposition, no house. Citizens
 * name streets this way more often than any other, but so they name shops, plants and universities
 * ("у Магнита", "от Лингвистического"): the weakest guess, dropped when a noun it may qualify follows
 * ("у Сормовского рынка") or when the name is a known settlement.
 */
const BARE_RE = new RegExp(`${WORD_START_LOOKBEHIND(true)}(${PREP})\\s+(${TYPELESS_CAP})(?![\\p{L}\\d-])(?!\\s*,?\\s*(?:д\\.|дом|№)?\\s*\\d)`, 'gu');
/**
 * `на калинина яма`, `у бурнаковской темно`: a bare name in lower case, as chats write it. Only the
 * shapes of names (a surname's genitive, a feminine adjective) and only after a preposition of place;
 * an adjective must not be followed by the noun it qualifies ("на детской площадке", "у проходной
 * завода"), and nouns and substantivised adjectives of those shapes are listed out.
 */
const BARE_LOWER_RE = new RegExp(
  `${WORD_START_LOOKBEHIND(true)}(${['на', 'по', 'у', 'возле', 'около', 'напротив', 'вдоль', 'с', 'со', 'до', 'от', 'к', 'через'].map(cap).join('|')})\\s+([а-яё]{3,}${LOWER_GENITIVE}|([а-яё]{3,}${LOWER_ADJECTIVE}))(?![\\p{L}\\d-])(?!\\s*,?\\s*(?:д\\.|дом|№)?\\s*\\d)(?=(?:\\s+([а-яё]+))?)`,
  'gu',
);
/**
 * `Мира — сугробы`, `Садовая: нет воды`: a bare name heading the post or a line, then a dash or a
 * colon, as a reply in a town's group names its street; or an adjectival name said alone at the end
 * ("пить невозможно. Садовая"). Settlements ("Бор — без света") are dropped.
 */
const HEADING_RE = new RegExp(`(?:^|\\n)[ \\t]*(${TYPELESS_CAP}|${TYPELESS_LOWER})[ \\t]*(?:[—–]|-(?=\\s)|:)|[.!?]\\s+(${ADJ_F})[.!]*\\s*$`, 'gu');
/** Words of those shapes that name no street: nouns ("магазина", "коляской") and substantivised adjectives ("у проходной"). */
const LOWER_NOT_NAMES = new Set([
  'магазина', 'бензина', 'хозяина', 'сына', 'мужчина', 'мужчины', 'половина', 'середина', 'вершина', 'машина', 'витрина', 'картина', 'причина', 'глубина', 'ширина', 'длина',
  'детского', 'городского', 'районного', 'областного', 'нового', 'старого', 'этого', 'того', 'такого', 'какого', 'любого', 'другого', 'каждого', 'всего', 'готова', 'слова', 'снова', 'основа', 'здорова', 'плова',
  'конечной', 'проходной', 'котельной', 'объездной', 'выпускной', 'электрощитовой', 'щитовой', 'диспетчерской', 'насосной', 'трансформаторной', 'учительской', 'раздевалкой',
  'главной', 'первой', 'второй', 'новой', 'старой', 'центральной', 'городской', 'районной', 'областной', 'детской', 'школьной', 'ночной', 'встречной', 'правой', 'левой',
  'пешеходной', 'лестничной', 'очередной', 'каждой', 'другой', 'полной', 'своей', 'одной', 'такой', 'какой', 'мужской', 'женской', 'взрослой', 'больной', 'дорожной',
  'коляской', 'заменой', 'охраной', 'трещиной', 'краской', 'главой', 'сосиской', 'листвой', 'водой', 'едой', 'травой', 'головой', 'зимой', 'весной', 'стеной', 'ценой', 'виной', 'слюной', 'тишиной', 'войной', 'мной', 'тобой', 'собой', 'женой', 'сосной', 'коровой',
]);
/** After a lower-case adjectival name: a verb or a word of no case, not a noun it may qualify. */
const LOWER_NEXT_OK = /^(?:тоже|опять|снова|так|уже|до|от|у|в|во|на|возле|около|нет|нету|не|ни|все|всё|кто|что|где|когда|сегодня|вчера|с|со|и|а|но|же|ли|бы|там|тут|вообще|\p{L}+(?:ли|ла|ло|ет|ёт|ит|ут|ют|ят|ат|ся|сь|ал|ил|ел))$/u;

/**
 * `на перекрёстке Ошарской и Белинского`, `угол Горького/Белинского`: a crossing names two streets,
 * bare, and the problem is on both.
 */
const INTERSECTION_RE = new RegExp(`(?:[Пп]ерекр[её]ст\\p{L}*|[Уу]гол|[Уу]глу|[Пп]ересечени\\p{L}*)\\s+(?:улиц\\s+)?(${TYPELESS_CAP})\\s*(?:\\s+и\\s+|/)\\s*(${TYPELESS_CAP})(?![\\p{L}\\d-])`, 'gu');
/** Nouns a capitalised adjective or genitive before them qualifies: then the name is not a street. */
const QUALIFIED_NOUN =
  /^\s+(?:рын|вокзал|мост|парк|озер|пруд|район|завод|канал|берег|кладбищ|стадион|кольц|год|праздник|больниц|школ|сад|остановк|поворот|перекр[её]ст|центр|квартал|пос[её]л|сел|деревн|двор|суд|университет|институт|колледж|театр|цирк|муз[еи]|храм|собор|церк|отделени|площад|улиц|проспект|переул|бульвар|шоссе|проезд|набережн|микрорайон|трасс|лини|направлени|сторон|конечн|маршрут|ветк|округ|област|край|кра[яю]|торгов|тц|жк|магазин|поликлиник|рынок|пляж|лес|реке|рек[аиу]|мостов|эстакад|развязк|депо|аэропорт|порт|пристан|причал|город)/iu;
/** Whether a name that ends at `end` is followed by a noun it qualifies ("у Сормовского рынка"). */
const qualifiesNoun = (text: string, end: number): boolean => QUALIFIED_NOUN.test(text.slice(end, end + 16));

/** What every TYPELESS_LATER_RE match contains: "дом" and its number. */
const TYPELESS_LATER_HINT = /дом(?:а|е|ом)?\s*№?\s*\d/u;
const SETTLEMENT_BEFORE = /(?:^|[\s,(])(?:[дсгпхДСГПХ]|дер|пос|гор|пгт|рп|р\.\s?п|[Дд]еревн\p{L}*|[Сс]ел[оаеу]|[Пп]ос[её]л\p{L}*|[Гг]ород\p{L}*)\.?\s*$/u;
const SENTENCE_START = /(?:^|[.!?\n:;—–-])\s*$/;

const SETTLEMENT_RE = new RegExp(
  `(г\\.|гор\\.|[Гг]ород(?:а|е|у|ом)?|пос\\.|п\\.|пгт\\.?|[Пп]ос[её]л(?:ок|ка|ке|ку|ком)|с\\.|[Сс]ел(?:о|а|е|у|ом)|д\\.|дер\\.|[Дд]еревн(?:я|и|е|ю|ей)|СНТ|снт|р\\.\\s?п\\.)\\s*[«"]?([А-ЯЁ][а-яё]+(?:[-\\s][А-ЯЁ][а-яё]+)?)[»"]?(?![\\p{L}])(?:\\s*,?\\s*(?:д\\.|дом)\\s*№?\\s*${HOUSE})?`,
  'gu',
);
/** A house mentioned later in the sentence of a street named without one: "на Ошарской опять ремонт, у дома 14". */
const LATER_HOUSE_RE = new RegExp(`^[^.\\n]{0,60}?(?:^|[\\s,(])(?:(?:у|возле|около|напротив|рядом\\s+с)\\s+)?дом(?:а|е|ом)?\\s*№?\\s*${HOUSE}`, 'u');
const HOUSE_IN_LIST_RE = new RegExp(HOUSE, 'gu');

const compilePatterns = compileOnFirstUse([
  TYPED_RE, ADJ_FIRST_RE, NAME_FIRST_HINT, NAME_FIRST_RE, NUMBERED_MKR_RE, HOUSE_FIRST_RE, TYPELESS_RE, TYPELESS_LATER_HINT,
  TYPELESS_LATER_RE, BARE_RE, BARE_LOWER_RE, HEADING_RE, INTERSECTION_RE, SETTLEMENT_RE, LATER_HOUSE_RE, HOUSE_IN_LIST_RE,
]);

export const canonicalHouse = (raw: string): string =>
  raw
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[«»"\s,.]/g, '')
    .replace(/корпус|корп|кор/g, 'к')
    .replace(/строение|стр/g, 'с')
    .replace(/литера|лит/g, '')
    .replace(/(\d)-(?=[а-я])/g, '$1');

export type SettlementResolver = (name: string) => string | undefined;

interface Candidate {
  readonly span: { readonly start: number; readonly end: number };
  readonly street?: string;
  readonly houses: readonly string[];
  readonly settlement?: string;
  /** Overlaps are resolved by weight first: typed streets beat guesses from a bare name. */
  readonly weight: number;
}

const housesOf = (first: string | undefined, more: string | undefined): string[] => {
  if (!first) return [];
  const out = [canonicalHouse(first)];
  if (more) {
    HOUSE_IN_LIST_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = HOUSE_IN_LIST_RE.exec(more)) !== null) out.push(canonicalHouse(m[1] ?? ''));
  }
  return out;
};

const collect = (re: RegExp, text: string, build: (m: RegExpExecArray) => Candidate | null, out: Candidate[]): void => {
  eachAtWordStart(re, text, true, (m) => {
    const c = build(m);
    if (c) out.push(c);
  });
};

const span = (m: RegExpExecArray, from = 0): { start: number; end: number } => ({ start: m.index + from, end: m.index + m[0].length });

/** Heaviest first, then earliest, then longest; keeps those that overlap nothing kept before. */
const resolve = (items: readonly Candidate[]): Candidate[] => {
  const sorted = [...items].sort(
    (a, b) => b.weight - a.weight || a.span.start - b.span.start || b.span.end - a.span.end,
  );
  const out: Candidate[] = [];
  for (const c of sorted) if (!out.some((k) => overlaps(k.span, c.span))) out.push(c);
  return out.sort((a, b) => a.span.start - b.span.start);
};

/**
 * Words before a street that make it a way round ("едут через", "объезжайте по", "в объезд по") or
 * where the traffic heads ("на Родионова в сторону Казанского шоссе провал"): not where the trouble is.
 */
const DETOUR = /(?:^|[\s,.(])(?:(?:ед[уеиё]\p{L}*|езд\p{L}*|езж\p{L}*|ехать|пустили|поехал\p{L}*|ходим|ходят)\s+через|(?:объе[зж]\p{L}*|в\s+объезд)(?:,?\s+кто)?(?:\s+(?:по|через))?|в\s+сторону|в\s+направлении|по\s+направлению\s+ко?)\s+(?:ул\.?\s*|улиц\p{L}*\s+|пр-?т\.?\s*|проспект\p{L}*\s+)?$/iu;
const DETOUR_REACH = 40;

export const extractAddresses = (original: string, resolveSettlement: SettlementResolver = () => undefined): AddressFact[] => {
  const text = recaseCaps(original);
  compilePatterns(text);
  const streets: Candidate[] = [];
  // These patterns all need a house number: a text without digits cannot match them, so skip the scans.
  const digits = /\d/.test(text);
  collect(TYPED_RE, text, (m) => ({
    span: span(m),
    street: streetOf(m[1], m[2] ?? '', true),
    houses: housesOf(m[3], m[4]),
    weight: 3,
  }), streets);
  collect(ADJ_FIRST_RE, text, (m) => ({
    span: span(m),
    street: streetOf(m[2], m[1] ?? '', false),
    houses: housesOf(m[3], m[4]),
    weight: 3,
  }), streets);
  if (digits && NAME_FIRST_HINT.test(text)) collect(NAME_FIRST_RE, text, (m) => {
    if (NOT_NAMES.has((m[1] ?? '').toLowerCase())) return null;
    return { span: span(m), street: streetOf(m[2], m[1] ?? '', true), houses: housesOf(m[3], m[4]), weight: 2.5 };
  }, streets);
  if (digits) collect(NUMBERED_MKR_RE, text, (m) => {
    // "д.3 мкр 2" is house 3 of микрорайон 2, not микрорайон 3.
    if (/(?:д\.|дом)\s*$/i.test(text.slice(Math.max(0, m.index - 6), m.index))) return null;
    return { span: span(m), street: `микрорайон ${(m[1] ?? '').toLowerCase()}`, houses: housesOf(m[2], m[3]), weight: 3 };
  }, streets);
  if (digits) collect(HOUSE_FIRST_RE, text, (m) => ({
    span: span(m),
    street: streetOf(m[3] ?? m[4], m[5] ?? '', true),
    houses: housesOf(m[1], m[2]),
    weight: 3,
  }), streets);
  if (digits) collect(TYPELESS_RE, text, (m) => {
    const prep = m[1];
    const name = m[2] ?? '';
    const from = prep ? m[0].indexOf(name, prep.length) : 0;
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    const lower = name.charAt(0) === name.charAt(0).toLowerCase() && !/^\d/.test(name);
    const words = name.toLowerCase().split(/\s+/);
    if (words.some((w) => NOT_NAMES.has(w))) return null;
    // A lower-case name is taken only after a preposition or at the start of a sentence: "ленина 15 тоже без воды".
    if (lower && !prep && !SENTENCE_START.test(before)) return null;
    // A bare plural-looking word ("Продукты 24", "Заменены 14") needs a preposition.
    if (!prep && words.length === 1 && name.endsWith('ы') && !FEMININE_GENITIVE_NAMES.has(words[0] as string)) return null;
    const houses = housesOf(m[3], m[4]);
    const at = span(m, from);
    // Let a later candidate start inside this one ("Самара, 22 Партсъезда 45а"): overlaps are resolved by weight.
    TYPELESS_RE.lastIndex = at.start + name.length;
    // "д. Кузьминка, дом 14": the name is a village, not a street.
    if (!prep && SETTLEMENT_BEFORE.test(before)) {
      const settlement = resolveSettlement(name) ?? name.replaceAll('ё', 'е');
      const marker = /\S+\s*$/.exec(before);
      return { span: { start: at.start - (marker ? marker[0].length : 0), end: at.end }, settlement, houses, weight: 2 };
    }
    // A masculine name has no улица: its type (бульвар, проспект) is unsaid, so none is guessed.
    const street = MASCULINE_NAME.test(name) ? canonicalName(name, 'm', true) : streetOf(undefined, name, true);
    return { span: at, street, houses, weight: prep ? 2 : /^\d/.test(name) ? 1.5 : 1 };
  }, streets);

  if (digits && TYPELESS_LATER_HINT.test(text)) collect(TYPELESS_LATER_RE, text, (m) => {
    const name = m[2] ?? '';
    if (namesNoStreet(name)) return null;
    return { span: span(m, m[0].indexOf(name, (m[1] ?? '').length)), street: streetOf(undefined, name, true), houses: housesOf(m[3], undefined), weight: 1 };
  }, streets);

  eachAtWordStart(INTERSECTION_RE, text, true, (m) => {
    let from = 0;
    for (const name of [m[1] ?? '', m[2] ?? '']) {
      const at = m[0].indexOf(name, from);
      from = at + name.length;
      if (namesNoStreet(name) || resolveSettlement(name) !== undefined) continue;
      streets.push({ span: { start: m.index + at, end: m.index + from }, street: streetOf(undefined, name, true), houses: [], weight: 1 });
    }
  });

  collect(BARE_RE, text, (m) => {
    const name = m[2] ?? '';
    if (/^\d/.test(name) || namesNoStreet(name)) return null;
    if (qualifiesNoun(text, m.index + m[0].length) || resolveSettlement(name) !== undefined) return null;
    const at = span(m, m[0].indexOf(name, (m[1] ?? '').length));
    // An abbreviation in capitals ("по ИПРА") is recased like a shouted word, but names no street.
    const written = original.slice(at.start, at.end);
    if (written.length > 1 && written === written.toUpperCase() && original !== original.toUpperCase()) return null;
    return { span: at, street: streetOf(undefined, name, true), houses: [], weight: 0.5 };
  }, streets);

  collect(BARE_LOWER_RE, text, (m) => {
    const name = m[2] ?? '';
    if (LOWER_NOT_NAMES.has(name) || NOT_NAMES.has(name) || resolveSettlement(name) !== undefined) return null;
    // m[3]: the name is adjectival; m[4]: the word after it.
    const next = m[4];
    if (next !== undefined && m[3] !== undefined && !LOWER_NEXT_OK.test(next)) return null;
    if (qualifiesNoun(text, m.index + m[0].length)) return null;
    const at = span(m, m[0].indexOf(name, (m[1] ?? '').length));
    return { span: at, street: streetOf(undefined, name, true), houses: [], weight: 0.4 };
  }, streets);

  // Not `collect`: a match starts at the line break, which follows a word.
  HEADING_RE.lastIndex = 0;
  for (let m = HEADING_RE.exec(text); m !== null; m = HEADING_RE.exec(text)) {
    const name = m[1] ?? m[2] ?? '';
    if (/^\d/.test(name) || namesNoStreet(name) || LOWER_NOT_NAMES.has(name.toLowerCase()) || resolveSettlement(name) !== undefined) continue;
    const start = m.index + m[0].indexOf(name);
    streets.push({ span: { start, end: start + name.length }, street: streetOf(undefined, name, true), houses: [], weight: 0.5 });
  }

  const settlements: Candidate[] = [];
  collect(SETTLEMENT_RE, text, (m) => {
    const name = m[2] ?? '';
    const settlement = resolveSettlement(name) ?? name.replaceAll('ё', 'е');
    return { span: span(m), settlement, houses: housesOf(m[3], undefined), weight: 0 };
  }, settlements);

  const kept = resolve(streets);
  // A street written without a house takes one mentioned a little later in the same sentence.
  const withLater = kept.map((c) => {
    if (!c.street || c.houses.length > 0) return c;
    const after = text.slice(c.span.end, c.span.end + 120);
    const m = LATER_HOUSE_RE.exec(after);
    if (!m) return c;
    const end = c.span.end + m[0].length;
    if (kept.some((k) => k !== c && k.span.start < end && k.span.end > c.span.end)) return c;
    return { ...c, span: { start: c.span.start, end }, houses: housesOf(m[1], undefined) };
  });
  const settlementFacts = resolve(settlements).filter((s) => !withLater.some((a) => overlaps(a.span, s.span)));
  const merged: Candidate[] = withLater.map((a) => {
    if (!a.street) return a;
    // A settlement written right next to the street ("г. Бор, ул. Ленина, 5" or "ул. Ленина 5, д. Кантаурово") belongs to it.
    const near = settlementFacts.find((s) => {
      const gap = s.span.end <= a.span.start ? text.slice(s.span.end, a.span.start) : text.slice(a.span.end, s.span.start);
      return (s.span.end <= a.span.start || s.span.start >= a.span.end) && s.houses.length === 0 && /^[\s,]{0,3}$/.test(gap);
    });
    if (!near) return a;
    settlementFacts.splice(settlementFacts.indexOf(near), 1);
    return {
      ...a,
      ...(near.settlement ? { settlement: near.settlement } : {}),
      span: { start: Math.min(a.span.start, near.span.start), end: Math.max(a.span.end, near.span.end) },
    };
  });
  for (const s of settlementFacts) merged.push(s);
  const out: AddressFact[] = [];
  for (const c of merged.sort((a, b) => a.span.start - b.span.start)) {
    const base = {
      text: original.slice(c.span.start, c.span.end),
      span: c.span,
      ...(c.street ? { street: c.street } : {}),
      ...(c.street && DETOUR.test(original.slice(Math.max(0, c.span.start - DETOUR_REACH), c.span.start)) ? { detour: true as const } : {}),
    };
    const houses = c.houses.length > 0 ? c.houses : [undefined];
    for (const house of houses) {
      out.push({ ...base, ...(house ? { house } : {}), ...(c.settlement ? { settlement: c.settlement } : {}) });
    }
  }
  return out;
};
