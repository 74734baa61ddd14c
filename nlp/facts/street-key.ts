/**
 * One key per street however citizens write it: the place keys of the incident merger and the
 * gazetteer's street list both read streets through it.
 */
/** Lower case, ё as е, one space: how place keys spell every name. */
export const normName = (text: string): string => text.toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ').trim();

/** Citizens drop or confuse the street type ("Циолковского 45" for "проспект Циолковского"): key on the name. */
const STREET_TYPES = /^(улица|проспект|переулок|бульвар|шоссе|площадь|набережная|проезд|микрорайон|тупик|аллея)\s+|\s+(улица|проспект|переулок|бульвар|шоссе|площадь|набережная|проезд|микрорайон|тупик|аллея)$/g;

/** Words that tell streets of one name apart in the registry but that citizens drop ("Покровка" for "Большая Покровская"). */
const MODIFIERS = new Set(['большая', 'малая', 'большой', 'малый', 'верхняя', 'нижняя', 'верхний', 'нижний', 'старая', 'новая', 'старый', 'новый', 'б', 'м']);

/** Enough letters to tell streets apart, few enough for "Молодёжка" to meet "Молодёжный проспект". */
const STREET_PREFIX = 5;

/** The words of a street's name without its type and the modifiers citizens drop. */
const nameWords = (street: string): string[] =>
  normName(street).replace(STREET_TYPES, '').split(/[\s.,-]+/).filter((w) => w !== '' && !MODIFIERS.has(w));

/**
 * The street's key: the first letters of the last word of its name, without the street type and
 * the modifiers citizens drop. "Большая Покровская", "Покровка" and "Б. Покровская" share `покро`.
 */
export const streetKey = (street: string): string => {
  const words = nameWords(street);
  const last = words.at(-1) ?? normName(street);
  return /^\d+$/.test(last) ? words.join(' ') : last.slice(0, STREET_PREFIX);
};

/** Case endings, longest first: "Мончегорской" and "Мончегорская" are one street. */
const ENDINGS = ['ого', 'его', 'ому', 'ему', 'ыми', 'ими', 'ая', 'яя', 'ой', 'ей', 'ую', 'юю', 'ый', 'ий', 'ом', 'ем', 'ах', 'ях', 'ых', 'их', 'ам', 'ям', 'ов', 'ев', 'а', 'я', 'у', 'ю', 'е', 'ы', 'и', 'о'];

const stem = (word: string): string => {
  const ending = ENDINGS.find((e) => word.length - e.length >= 3 && word.endsWith(e));
  return ending ? word.slice(0, -ending.length) : word;
};

/**
 * A stricter key for looking a street up in a list: the last word of its name without its case
 * ending, so that "Красных Зорь" is not "Краснодонцев" as `streetKey` has it (both `красн`). A
 * short last word ("Июльских Дней", "Днях") takes the word before it along.
 */
export const streetStem = (street: string): string => {
  const words = nameWords(street);
  const last = words.at(-1) ?? '';
  const before = words.at(-2);
  return last.length <= 4 && before !== undefined ? `${stem(before)} ${last.slice(0, 2)}` : stem(last);
};
