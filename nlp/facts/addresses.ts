import type { AddressFact } from '../../core/types.js';
import { execAtWordStarts } from './boundary.js';
import { dropOverlaps } from './span.js';

/**
 * Street addresses. Canonical forms (stable, so that reports of one place compare equal):
 * - `street`: `<full lower-case type> <Name>`, type first whatever the word order in the post, `ё`→`е`,
 *   each name word capitalised, adjectival names put in the nominative agreeing with the type:
 *   "на Садовой улице" → "улица Садовая", "Московское ш." → "шоссе Московское", "ул. Ленина" → "улица Ленина".
 *   A street named without a type ("на Ленина 5") is assumed to be an `улица`.
 * - `house`: lower-case, no spaces: number, optional `/fraction`, letter, `к<корпус>`, `с<строение>`:
 *   "5", "23а", "12/3", "5к2", "7с1".
 * - `settlement`: canonical gazetteer name when known, otherwise as written after the settlement type.
 */

type Gender = 'f' | 'm' | 'n';

interface StreetType {
  readonly canonical: string;
  readonly gender: Gender;
  /** Full word forms (inflected). */
  readonly full: string;
  /** Abbreviations, each requiring a dot unless listed in `bare`. */
  readonly abbr: string;
}

const cap = (s: string): string => `[${s[0]?.toUpperCase()}${s[0]}]${s.slice(1)}`;

const STREET_TYPES: readonly StreetType[] = [
  { canonical: 'улица', gender: 'f', full: `${cap('улиц')}(?:а|е|у|ы|ей|и)`, abbr: `${cap('ул')}\\.|${cap('ул')}(?=\\s)` },
  { canonical: 'проспект', gender: 'm', full: `${cap('проспект')}(?:а|е|у|ом)?`, abbr: `${cap('пр')}-к?т(?:а|е|у|ом)?\\.?|${cap('просп')}\\.?|${cap('пр')}\\.` },
  { canonical: 'переулок', gender: 'm', full: `${cap('переул')}(?:ок|ка|ке|ку|ком)`, abbr: `${cap('пер')}\\.` },
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

const TYPE_ANY = STREET_TYPES.map((t) => `${t.full}|${t.abbr}`).join('|');
const TYPE_FULL = STREET_TYPES.flatMap((t) => [t.full, ...t.abbr.split('|').filter((a) => a.endsWith('\\.'))]).join('|');

/** Capitalised words that follow a street but are not part of its name. */
const STOP_CAP = '(?:Дом|Д|Кв|Корп|Корпус|Подъезд|Напротив|Возле|Около|Рядом|Нет|Уже|Опять|Когда|Сегодня|Вчера|Там|Тут|Здесь|Все|Всё|Это|Не|Во|В|На|И|А|Но|У|По|С|Так|Как|Что|Где|Сколько|Кто|Люди|Жители|Просим|Прошу|Помогите|Срочно|Третий|Второй|УК|ТСЖ|Администрация)(?![\\p{L}])';
const STOP_LOWER = '(?:дом[а-яё]*|д|возле|около|напротив|рядом|нет|нету|не|уже|опять|в|во|на|у|и|а|с|по|там|тут|где|это|все|всё|вообще|снова|опять|когда|такой|такая|кв|корп|подъезд[а-яё]*|двор[а-яё]*|был[аио]?|есть|который|которая|очень|просто|сегодня|вчера|машин[а-яё]*|яма|ямы|мусор|света|воды|газа)(?![\\p{L}])';
const WORD_CAP = `(?!${STOP_CAP})[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?(?:-\\d{1,2}(?![\\d]))?`;
const NUM_PREFIX = '\\d{1,3}(?:-?(?:я|й|го|ая|ой|ый|ий|ей|ое))?\\s+(?:лет\\s+)?';
const NAME_CAP = `(?:${NUM_PREFIX})?(?:[А-ЯЁ]\\.\\s?)?${WORD_CAP}(?:\\s+${WORD_CAP})?`;
const NAME_LOWER = `(?!${STOP_LOWER})[а-яё]{3,}(?:-[а-яё]+)?`;

const UNIT_AFTER =
  '(?!\\s*(?:%|°|‰|дн(?:я|ей)?|день|сут\\p{L}*|час\\p{L}*|мин\\p{L}*|сек\\p{L}*|лет|год\\p{L}*|раз\\p{L}*|руб\\p{L}*|р\\.|градус\\p{L}*|человек\\p{L}*|чел|шт\\p{L}*|метр\\p{L}*|км|см|мм|м|тонн\\p{L}*|тыс\\p{L}*|недел\\p{L}*|месяц\\p{L}*|числ\\p{L}*|январ\\p{L}*|феврал\\p{L}*|март\\p{L}*|апрел\\p{L}*|ма[яй]|июн\\p{L}*|июл\\p{L}*|август\\p{L}*|сентябр\\p{L}*|октябр\\p{L}*|ноябр\\p{L}*|декабр\\p{L}*|машин\\p{L}*|автобус\\p{L}*|штук\\p{L}*|этаж\\p{L}*|квартир\\p{L}*|семей|детей)(?![\\p{L}]))';
const HOUSE =
  `(\\d{1,4}(?:\\s?\\/\\s?\\d{1,3})?(?:-?[«"]?[а-яА-ЯёЁ][»"]?(?![\\p{L}\\d]))?(?:,?\\s?(?:к|корп(?:ус)?\\.?|к\\.)\\s?\\d{1,2})?(?:,?\\s?(?:стр(?:оение)?\\.?|с)\\s?\\d{1,2})?(?:,?\\s?лит(?:ера)?\\.?\\s?[А-Яа-я](?![\\p{L}]))?)(?![.:,\\/-]?\\d)${UNIT_AFTER}`;
const HOUSE_MARK = '(?:(?:д\\.|д|дом|№)\\s*№?\\s*)';
const HOUSE_PART = `(?:\\s*,?\\s*${HOUSE_MARK}?${HOUSE})?`;
const L = '';
const PREP = '(?:на|по|у|возле|около|напротив|рядом\\s+с|в\\s+районе|со\\s+стороны|вдоль|за|перед|между)';

const TYPED_RE = new RegExp(`${L}(${TYPE_ANY})\\s*(${NAME_CAP}|${NAME_LOWER})(?![\\p{L}])${HOUSE_PART}`, 'gu');
const ADJ = '[А-ЯЁ][а-яё]+(?:ая|ой|ую|ий|ый|ом|ому|ого|ое|ым|ей|яя|ее|юю|ем|ему|его|ие|ых|ими)';
const ADJ_FIRST_RE = new RegExp(`${L}((?:\\d{1,2}-?(?:я|й|ая|ой|ый|ий)\\s+)?${ADJ}(?:\\s+${ADJ})?)\\s+(${TYPE_FULL})(?![\\p{L}])${HOUSE_PART}`, 'gu');
const HOUSE_FIRST_RE = new RegExp(
  `${L}(?:[Дд]ом(?:а|е|у|ом)?|[Дд]\\.)\\s*№?\\s*${HOUSE}\\s*,?\\s*(?:${PREP}\\s+)?(?:(${TYPE_ANY})\\s*)?(${NAME_CAP})(?![\\p{L}])`,
  'gu',
);
const GENITIVE_CAP = `(?!(?:Нижнего|Новгорода|Дома|Света|Недели|Года|Дня|Часа|Мая|Марта|Ребята|Народа|Города|Района|Области|Москвы|России)(?![\\p{L}]))[А-ЯЁ][а-яё]+(?:а|я|ого|его)`;
const TYPELESS_RE = new RegExp(
  `(?:(?<=(?:^|[\\s,(])${PREP}\\s+)((?:[А-ЯЁ][а-яё]+\\s+)?${GENITIVE_CAP}|[а-яё]+(?:ина|ына|ова|ева|ёва|ского|цкого))|${L}(${GENITIVE_CAP}))(?![\\p{L}])\\s*,?\\s*(?:д\\.|дом)?\\s*${HOUSE}`,
  'gu',
);
const SETTLEMENT_RE = new RegExp(
  `${L}(г\\.|гор\\.|[Гг]ород(?:а|е|у|ом)?|пос\\.|п\\.|пгт\\.?|[Пп]ос[её]л(?:ок|ка|ке|ку|ком)|с\\.|[Сс]ел(?:о|а|е|у|ом)|д\\.|дер\\.|[Дд]еревн(?:я|и|е|ю|ей)|СНТ|снт|р\\.\\s?п\\.)\\s*[«"]?([А-ЯЁ][а-яё]+(?:[-\\s][А-ЯЁ][а-яё]+)?)[»"]?(?![\\p{L}])`,
  'gu',
);

const adjToNominative = (word: string, gender: Gender, strict: boolean): string => {
  const m = /^(.*?)(ая|ой|ую|ий|ый|ом|ому|ого|ое|ым|ей|яя|ее|юю|ем|ему|его)$/.exec(word);
  if (!m || (m[1] ?? '').length < 3) return word;
  const stemPart = m[1] ?? '';
  const ending = m[2] ?? '';
  const soft = /^[еяю]/.test(ending) || (ending === 'ий' && stemPart.endsWith('н'));
  if (gender === 'f') {
    if (ending === 'ой' || ending === 'ую') return `${stemPart}ая`;
    if (ending === 'ей' || ending === 'юю') return `${stemPart}яя`;
    return word;
  }
  // After the type a masculine/neuter genitive in -ого is usually a surname ("проезд Толстого"), so it stays.
  if (strict && (ending === 'ого' || ending === 'его')) return word;
  if (!['ом', 'ому', 'ого', 'ым', 'ем', 'ему', 'его', 'ий', 'ый', 'ое', 'ее'].includes(ending)) return word;
  if (gender === 'n') return `${stemPart}${soft ? 'ее' : 'ое'}`;
  return `${stemPart}${soft || /[кгхжшчщ]$/.test(stemPart) ? 'ий' : 'ый'}`;
};

const canonicalName = (name: string, gender: Gender, nameAfterType: boolean): string =>
  name
    .replaceAll('ё', 'е')
    .replaceAll('Ё', 'Е')
    .split(/\s+/)
    .map((w) => {
      if (/^\d/.test(w) || w === 'лет') return w;
      const titled = w.charAt(0).toUpperCase() + w.slice(1);
      return adjToNominative(titled, gender, nameAfterType);
    })
    .join(' ');

export const canonicalHouse = (raw: string): string =>
  raw
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[«»"\s,.]/g, '')
    .replace(/корпус|корп/g, 'к')
    .replace(/строение|стр/g, 'с')
    .replace(/литера|лит/g, '')
    .replace(/(\d)-(?=[а-я])/g, '$1');

export type SettlementResolver = (name: string) => string | undefined;

interface Candidate {
  readonly span: { readonly start: number; readonly end: number };
  readonly street?: string;
  readonly house?: string;
  readonly settlement?: string;
  readonly explicitSettlement?: boolean;
}

const collect = (re: RegExp, text: string, build: (m: RegExpExecArray) => Candidate | null, out: Candidate[]): void => {
  for (const m of execAtWordStarts(re, text, true)) {
    const c = build(m);
    if (c) out.push(c);
  }
};

export const extractAddresses = (text: string, resolveSettlement: SettlementResolver = () => undefined): AddressFact[] => {
  const streets: Candidate[] = [];
  collect(TYPED_RE, text, (m) => {
    const type = typeOf(m[1] ?? '');
    const house = m[3];
    return {
      span: { start: m.index, end: m.index + m[0].length },
      street: `${type.canonical} ${canonicalName(m[2] ?? '', type.gender, true)}`,
      ...(house ? { house: canonicalHouse(house) } : {}),
    };
  }, streets);
  collect(ADJ_FIRST_RE, text, (m) => {
    const type = typeOf(m[2] ?? '');
    const house = m[3];
    return {
      span: { start: m.index, end: m.index + m[0].length },
      street: `${type.canonical} ${canonicalName(m[1] ?? '', type.gender, false)}`,
      ...(house ? { house: canonicalHouse(house) } : {}),
    };
  }, streets);
  collect(HOUSE_FIRST_RE, text, (m) => {
    const type = m[2] ? typeOf(m[2]) : (STREET_TYPES[0] as StreetType);
    return {
      span: { start: m.index, end: m.index + m[0].length },
      street: `${type.canonical} ${canonicalName(m[3] ?? '', type.gender, true)}`,
      house: canonicalHouse(m[1] ?? ''),
    };
  }, streets);
  collect(TYPELESS_RE, text, (m) => {
    const name = m[1] ?? m[2] ?? '';
    const street = STREET_TYPES[0] as StreetType;
    return {
      span: { start: m.index, end: m.index + m[0].length },
      street: `${street.canonical} ${canonicalName(name, street.gender, true)}`,
      house: canonicalHouse(m[3] ?? ''),
    };
  }, streets);

  const settlements: Candidate[] = [];
  collect(SETTLEMENT_RE, text, (m) => {
    const name = m[2] ?? '';
    const marker = (m[1] ?? '').toLowerCase();
    // "д. Ленина" after a street type is a house marker's false friend; a capital after "д." right after a street is handled above.
    const settlement = resolveSettlement(name) ?? name.replaceAll('ё', 'е');
    return { span: { start: m.index, end: m.index + m[0].length }, settlement, explicitSettlement: !marker.startsWith('г') };
  }, settlements);

  const streetFacts = dropOverlaps(streets);
  const settlementFacts = dropOverlaps(settlements).filter(
    (s) => !streetFacts.some((a) => s.span.start < a.span.end && a.span.start < s.span.end),
  );
  const merged: Candidate[] = streetFacts.map((a) => {
    // A settlement written right next to the street ("г. Бор, ул. Ленина, 5" or "ул. Ленина 5, д. Кантаурово") belongs to it.
    const near = settlementFacts.find((s) => {
      const gap = s.span.end <= a.span.start ? text.slice(s.span.end, a.span.start) : text.slice(a.span.end, s.span.start);
      return (s.span.end <= a.span.start || s.span.start >= a.span.end) && /^[\s,]{0,3}$/.test(gap);
    });
    if (!near) return a;
    settlementFacts.splice(settlementFacts.indexOf(near), 1);
    return {
      ...a,
      settlement: near.settlement,
      span: { start: Math.min(a.span.start, near.span.start), end: Math.max(a.span.end, near.span.end) },
    };
  });
  for (const s of settlementFacts) merged.push(s);
  return merged
    .sort((a, b) => a.span.start - b.span.start)
    .map((c) => ({
      text: text.slice(c.span.start, c.span.end),
      span: c.span,
      ...(c.street ? { street: c.street } : {}),
      ...(c.house ? { house: c.house } : {}),
      ...(c.settlement ? { settlement: c.settlement } : {}),
    }));
};
