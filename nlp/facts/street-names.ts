/**
 * Canonical street names: nominative adjectives agreeing with the street type, expanded initials,
 * the `пр.` ambiguity (проспект or проезд) and the all-caps recasing used before matching.
 */

export type Gender = 'f' | 'm' | 'n';

const ADJ_ENDING = /^(.*?)(ая|ой|ую|ий|ый|ом|ому|ого|ое|ым|ей|яя|ее|юю|ем|ему|его)$/;

/**
 * Stems of women's surnames that streets are named after, written in the genitive: "ул. Терешковой"
 * stays "улица Терешковой", whereas the adjective "на Садовой" becomes "улица Садовая".
 */
const FEMALE_SURNAMES = new Set([
  'терешковой', 'крупской', 'космодемьянской', 'перовской', 'ковалевской', 'ульяновой', 'чайкиной', 'расковой',
  'гризодубовой', 'шевцовой', 'цветаевой', 'ахматовой', 'осипенко', 'фигнер', 'засулич', 'люксембург', 'ковальчук',
  'зверевой', 'громовой', 'кошевой', 'шишкиной', 'поповой', 'орловой', 'мамонтовой', 'капустиной',
]);

/** Abbreviated first names and words, expanded when the following word makes them unambiguous. */
const INITIALS: Readonly<Record<string, string>> = {
  'к маркса': 'Карла', 'к либкнехта': 'Карла', 'р люксембург': 'Розы', 'л толстого': 'Льва', 'м горького': 'Максима',
  'а невского': 'Александра', 'ю гагарина': 'Юрия', 'в чкалова': 'Валерия', 'г жукова': 'Георгия', 'б панина': 'Бориса',
  'б хмельницкого': 'Богдана', 'н островского': 'Николая', 'с перовской': 'Софьи', 'ф энгельса': 'Фридриха',
  'с разина': 'Степана', 'д бедного': 'Демьяна', 'з космодемьянской': 'Зои', 'в терешковой': 'Валентины',
  'окт революции': 'Октябрьской', 'сов армии': 'Советской', 'кр армии': 'Красной', 'кр зорь': 'Красных',
  'м джалиля': 'Мусы', 'в высоцкого': 'Владимира', 'м жукова': 'Маршала', 'а пушкина': 'Александра',
};

/** Adjectival names that are prospects, not passages, when written with the ambiguous `пр.`. */
const PROSPEKT_ADJECTIVES = new Set([
  'ленинский', 'московский', 'октябрьский', 'комсомольский', 'молодежный', 'невский', 'кутузовский', 'мичуринский',
  'ленинградский', 'советский', 'красный', 'литейный', 'лиговский', 'вознесенский', 'свердловский', 'кировский',
  'каменноостровский', 'волгоградский', 'рязанский', 'севастопольский', 'университетский', 'мирный', 'победы',
  'заводской', 'строителей', 'кузнецкий', 'ульяновский', 'бакинский', 'металлургов', 'ново-садовый',
]);

export const isAdjective = (word: string): boolean => {
  const w = word.toLowerCase();
  if (FEMALE_SURNAMES.has(w)) return false;
  const m = ADJ_ENDING.exec(w);
  // "-ей" is an adjective only after a soft н ("Верхней"); "Строителей" is a plural noun.
  return m !== null && (m[1] ?? '').length >= 3 && (m[2] !== 'ей' || /[нжшчщ]$/.test(m[1] ?? ''));
};

const adjToNominative = (word: string, gender: Gender, strict: boolean): string => {
  const m = ADJ_ENDING.exec(word);
  if (!m || !isAdjective(word)) return word;
  const stemPart = m[1] ?? '';
  const ending = m[2] ?? '';
  const soft = /^[еяю]/.test(ending) || (ending === 'ий' && stemPart.endsWith('н'));
  if (gender === 'f') {
    if (ending === 'ой' || ending === 'ую') return `${stemPart}ая`;
    if (ending === 'ей' || ending === 'юю') return `${stemPart}${/[жшчщ]$/.test(stemPart) ? 'ая' : 'яя'}`;
    return word;
  }
  // After the type a masculine/neuter genitive in -ого is usually a surname ("проезд Толстого"), so it stays.
  if (strict && (ending === 'ого' || ending === 'его')) return word;
  if (!['ом', 'ому', 'ого', 'ым', 'ем', 'ему', 'его', 'ий', 'ый', 'ое', 'ее', 'ой'].includes(ending)) return word;
  if (gender === 'n') return `${stemPart}${soft ? 'ее' : 'ое'}`;
  if (ending === 'ой') return word;
  return `${stemPart}${soft || /[кгхжшчщ]$/.test(stemPart) ? 'ий' : 'ый'}`;
};

const title = (w: string): string =>
  w
    .split('-')
    .map((part) => (/^\d/.test(part) || part === 'летия' ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('-');

/**
 * `name` as written (any case, inflected) → canonical name words. Adjectives are put in the nominative
 * agreeing with the type only when every word of the name is an adjective (or an ordinal): "Большой
 * Покровской" → "Большая Покровская", but "Октябрьской Революции" keeps its genitive.
 */
export const canonicalName = (name: string, gender: Gender, nameAfterType: boolean): string => {
  let words = name
    .replaceAll('ё', 'е')
    .replaceAll('Ё', 'Е')
    .replace(/\.\s*/g, '. ')
    .split(/\s+/)
    .filter((w) => w !== '');
  const initial = words.findIndex((w) => w.endsWith('.'));
  if (initial >= 0 && initial + 1 < words.length) {
    const key = `${(words[initial] as string).slice(0, -1).toLowerCase()} ${(words[initial + 1] as string).toLowerCase()}`;
    const full = INITIALS[key];
    if (full) words = [...words.slice(0, initial), full, ...words.slice(initial + 1)];
  }
  const named = words.filter((w) => !/^\d/.test(w) && w !== 'лет');
  const allAdjectives = named.length > 0 && named.every((w) => !w.endsWith('.') && isAdjective(w.split('-').pop() ?? w));
  return words
    .map((w) => {
      if (/^\d/.test(w) || w === 'лет') return w;
      const titled = title(w.toLowerCase());
      return allAdjectives ? adjToNominative(titled, gender, nameAfterType) : titled;
    })
    .join(' ');
};

/**
 * `пр.` is both проспект and проезд. Rule: with a person's name ("пр. Гагарина", "Гагарина пр.") it is a
 * проспект; with an adjectival name it is a проезд ("Светлогорский пр." → "проезд Светлогорский"), unless the
 * name is one of the common prospect names ("Ленинский пр.", "Молодежный пр.").
 */
export const ambiguousPrIsProezd = (canonical: string): boolean => {
  const words = canonical.toLowerCase().split(' ');
  if (words.length !== 1) return false;
  const w = words[0] as string;
  return /(?:ий|ый|ой)$/.test(w) && !PROSPEKT_ADJECTIVES.has(w);
};

/** Acronyms that stay in capitals when an all-caps post is recased. */
const KEEP_CAPS = /^(?:ГИБДД|ЕДДС|ДЮСШ|ЖКХ|ТСЖ|МУП|МКД|ЦРБ|ДТП|СНТ|МВД|МЧС|ДУК|ТСН|ГБУ|МБУ|ОАО|ООО|ЗАО|ПАО|ЦУР|ФАП|ГКБ|РЖД|ЖЭК|ЖЭУ|РЭУ|ОВД|ДПС|ТЭЦ|ГРЭС|ГЭС|КПП|АЗС|ПВЗ|МФЦ|ФСБ|ТЦ|ЖК|УК|ДК|НН|РФ|МО|ИП|АО)$/;
const CAPS_WORD = /[А-ЯЁ]{2,}(?![а-яё])/g;
const CAPS_GUARD = /[А-ЯЁ]{3}/;

/**
 * Words written in capitals ("ЛЕНИНА 15", "УЛ. ЛЕНИНА") are title-cased, keeping the text length, so that
 * spans found in the recased text slice the original one. Acronyms stay as they are.
 */
export const recaseCaps = (text: string): string => {
  if (!CAPS_GUARD.test(text) && !/УЛ|ПР/.test(text)) return text;
  return text.replace(CAPS_WORD, (w, at: number) => {
    if (at > 0 && /[А-Яа-яЁё]/.test(text.charAt(at - 1))) return w;
    if (KEEP_CAPS.test(w)) return w;
    return w.charAt(0) + w.slice(1).toLowerCase();
  });
};
