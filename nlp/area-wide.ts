/**
 * Problems that cover a whole area rather than one house: a power, water, gas or heating outage, a
 * smell or smoke over the town. Reports of one outage name different streets ("Ленина без воды",
 * "у нас на Маяковского тоже"), so they meet by municipality and hours, not by address. Each kind
 * is its own: hot water off on one street and heating off on another are two problems.
 */
import type { AreaWideKind } from '../core/types.js';
import type { Token } from './contract.js';
import { memoByKey } from '../core/memo.js';

export type { AreaWideKind } from '../core/types.js';

/** A utility that a whole district loses at once. */
const UTILITIES: readonly (readonly [AreaWideKind, RegExp])[] = [
  // A grid's own words too: "падение деревьев на ЛЭП ... отключены потребители".
  ['power', /^(свет[ау]?$|светом$|электричеств|электроэнерги|электроснабжени|электропередач|лэп$|вл-?\d*$|рэс$)/],
  ['water', /^(вод([аыуе]|ой)?$|водоснабжени|гвс$|хвс$|кран[аыу]?$|кранов$)/],
  ['gas', /^(газ([аеу]|ом)?$|газоснабжени)/],
  ['heat', /^(отоплени|тепл([оа]|ом)$|теплоснабжени|батаре(?!йк)|радиатор)/],
];
/**
 * Its absence, loss or return ("дали свет", "вода появилась", "газ пошёл", "батареи потеплели" are
 * the same outage ending; "кран сухой" its absence), in official words too
 * ("отсутствует холодное водоснабжение", "прекращена подача"), or the stopgap for it: water brought
 * round in a tanker ("воду развозят в бочке") means the taps are dry.
 */
const ABSENCE = /^(нет|без|сух|появил|верн(ул|ут$)|восстанов|поврежд|возобнов|пошл[аио]$|пошел$|отключ|пропал|пропад|вырубил|вырубает|отруб|выбил|нету|дали|дадут|включ|авари|отсутств|прекращ|перебо|развоз|подвоз|есть$|потеплел|нагрел)/;
/**
 * A stopgap that says both the utility and its absence: a water tanker ("водовозка у
 * администрации", "привезли бочку к 12 дому"), candles ("уроки при свечке делают"); or a word that
 * says both itself ("дома обесточены").
 */
const STOPGAPS: readonly (readonly [AreaWideKind, RegExp])[] = [
  ['water', /^(водовоз|бочк|цистерн)/],
  // "при свечке", "со свечами": not "купила свечи". "Обесточены" says the outage in one word.
  ['power', /^(свеч(ке|кой|ках|ками|е|ой|ах|ами)$|обесточ)/],
];
/**
 * Cold radiators: "батареи ледяные", "радиаторы еле тёплые" report the heating gone as surely as
 * "нет отопления" does, and a main's break sends a district's worth of them within hours.
 */
const COLD = /^(холодн|ледян|еле$|чуть$|мерзн|замерза|остыл|остыва)/;
/**
 * Brought round: "воду привезли к администрации" is the tanker, but "откачку так и не привезли"
 * under a flooded bridge is no outage. Only beside the water itself.
 */
const DELIVERED = /^(привез|подвез)/;
/** Tap water gone bad: a flushed or broken main colours a whole district's water at once. */
const QUALITY = /^(мутн|ржав|коричнев|грязн|желт|чай$)/;
/** A smell, smoke or emission that residents of a whole area notice. */
const SMELL = /^(запах|вон[ьи]|воня|пахн|пахл|смрад|дым|гар[ьи]|выброс|химией|сероводород|хлор[аом]?$|аммиак)/;

/**
 * What smoke or a chemical release does to people outdoors: "глаза режет", "першит в горле". A reply
 * in a smell thread often says only that ("тоже чувствуем, Южное шоссе, глаза режет").
 */
const STINGS = /^(реж|щип|ест$|слезят|слезил)/;
const stingsEyes = (tokens: readonly Pick<Token, 'norm'>[], at: number): boolean => {
  const norm = (tokens[at] as Pick<Token, 'norm'>).norm;
  if (norm.startsWith('першит')) return true;
  return /^глаз/.test(norm) && (STINGS.test(tokens[at + 1]?.norm ?? '') || STINGS.test(tokens[at - 1]?.norm ?? ''));
};

const GAS = /^газ(ом|а)?$/;
const isGas = (token: Pick<Token, 'norm'> | undefined): boolean => token !== undefined && GAS.test(token.norm);

/** A house's shared spaces, where a smell is one building's trouble (a dead cat, the rubbish chute, sewage). */
const BUILDING_SPACE = /^(кабин|лифт|подъезд|подвал|мусоропровод|лестниц|тамбур|коридор)/;
/** How far from the smell word a shared space still says where the smell is. */
const SPACE_REACH = 3;
const inBuilding = (tokens: readonly Pick<Token, 'norm'>[], at: number): boolean => {
  for (let j = Math.max(0, at - SPACE_REACH); j <= at + SPACE_REACH && j < tokens.length; j++) if (BUILDING_SPACE.test((tokens[j] as Pick<Token, 'norm'>).norm)) return true;
  return false;
};

/**
 * Where a temperature is a home's heating ("дома +17", "в квартире +15"), not the weather's. A cold
 * classroom or ward is one building's trouble, not a district's outage.
 */
const INDOORS = /^(дома$|квартир|комнат)/;
/** Heating below about +20 °C fails the norm for homes; below +5 it is no room temperature said that way. */
const COLD_ROOM = /^(?:[5-9]|1\d)$/;

/** What one word says: a smell, a utility, an absence, bad quality, or nothing (`null`). */
type WordRole = 'smell' | readonly [AreaWideKind] | 'absence' | 'delivered' | { readonly stopgap: AreaWideKind } | 'quality' | 'cold' | 'indoors' | 'room-temperature' | null;

/** The first role a word's patterns give it, in order of precedence. */
const classify = (norm: string): WordRole => {
  if (SMELL.test(norm)) return 'smell';
  const stopgap = STOPGAPS.find(([, pattern]) => pattern.test(norm));
  if (stopgap) return { stopgap: stopgap[0] };
  const utility = UTILITIES.find(([, pattern]) => pattern.test(norm));
  if (utility) return [utility[0]];
  if (ABSENCE.test(norm)) return 'absence';
  if (DELIVERED.test(norm)) return 'delivered';
  if (QUALITY.test(norm)) return 'quality';
  if (COLD.test(norm)) return 'cold';
  if (INDOORS.test(norm)) return 'indoors';
  return COLD_ROOM.test(norm) ? 'room-temperature' : null;
};

/** Roles by norm: the same words come back in every post, and one lookup beats six regex tests. */
const roleOf = memoByKey(classify);

const isWater = (token: Pick<Token, 'norm'> | undefined): boolean => {
  const role = token && roleOf(token.norm);
  return Array.isArray(role) && role[0] === 'water';
};

/**
 * What area-wide problem the tokens report, if any. With `text` (the text the spans point into), a
 * room temperature written with its sign counts as cold radiators ("дома +17 и падает").
 */
export const areaWideKind = (tokens: readonly Pick<Token, 'norm' | 'span'>[], text?: string): AreaWideKind | null => {
  let utility: AreaWideKind | null = null;
  let absence = false;
  let quality = false;
  let cold = false;
  let indoors = false;
  let roomTemperature = false;
  for (let i = 0; i < tokens.length; i++) {
    const { norm, span } = tokens[i] as Pick<Token, 'norm' | 'span'>;
    const role = roleOf(norm);
    if (stingsEyes(tokens, i)) return 'smell';
    if (role === 'smell') {
      // A smell in a lift cabin, a stairwell or a basement is the house's trouble, not the air's.
      if (inBuilding(tokens, i)) continue;
      // "вода с запахом и рыжая" is the tap water gone bad, not the air.
      if (isWater(tokens[i - 1]) || isWater(tokens[i - 2]) || isWater(tokens[i + 1])) {
        quality = true;
        continue;
      }
      // "газом воняет" is a leak, and the gas is cut for it: the gas outage, not the air.
      if (isGas(tokens[i - 1]) || isGas(tokens[i + 1])) return 'gas';
      return 'smell';
    }
    if (role === null) continue;
    if (role === 'indoors') indoors = true;
    else if (role === 'delivered') absence ||= isWater(tokens[i - 1]) || isWater(tokens[i + 1]);
    else if (role === 'room-temperature') roomTemperature ||= text !== undefined && text.charAt(span.start - 1) === '+';
    else if (role === 'absence') absence = true;
    else if (role === 'quality') quality = true;
    else if (role === 'cold') cold = true;
    else if ('stopgap' in role) {
      absence = true;
      utility ??= role.stopgap;
    }
    // Once a utility is named, another utility word is neither a second utility nor an absence.
    else if (utility === null) utility = role[0];
  }
  // "дали воду, но грязная" is the outage ending: absence wins.
  if (utility !== null && absence) return utility;
  if (utility === 'heat' && cold) return 'heat';
  // "холодная из обоих кранов", "из крана только холодная": the hot water is off.
  if (utility === 'water' && cold && !quality) return 'water';
  if (roomTemperature && indoors && (utility === null || utility === 'heat')) return 'heat';
  return utility === 'water' && quality ? 'water-quality' : null;
};

/** Words of a reply in an outage thread that leaves the utility unsaid: "тоже нет", "сухо", "тьма", "дали", "пошла". */
const REPLY = /^(тоже|нет$|нету$|без$|отключ|пропал|пропад|вырубил|вырубило|отруб|дали$|дадут$|сухо|тьма|темно|темнота|пошл[аио]$|появил|вернул|горит$|потеплел|холодн|ледян)/;
/** A reply is short: a long post that names no utility is about something else. */
const REPLY_TOKENS = 20;

/**
 * Whether a post reads as a reply in an outage thread: short, with an absence, a return or a "me
 * too", and no utility named ("Дзержинского 35 тоже нет", "Кирова тоже тьма, ни одного окна",
 * "пр-т Революции 61 сухо с 8 утра"). Only the thread says which outage: the merge score joins such
 * a reply to an outage reported from the same source within hours, and to nothing else.
 */
export const outageReply = (tokens: readonly Pick<Token, 'norm'>[]): boolean => {
  if (tokens.length > REPLY_TOKENS) return false;
  for (const { norm } of tokens) {
    const role = roleOf(norm);
    // A utility, a smell or bad water named: an outage report of its own, not a reply to one.
    if (role === 'smell' || role === 'quality' || (role !== null && typeof role === 'object')) return false;
  }
  // Not every absence word: "авария посередине" on a bridge is a crash, not the outage; "без сна"
  // is the crews' night, not the houses' utility.
  return tokens.some(({ norm }, i) => (REPLY.test(norm) && !(norm === 'без' && withoutSomethingElse(tokens[i + 1]))) || saysSame(tokens, i));
};

/** "то же самое", "тоже самое", "аналогично": the thread's trouble, here too. */
const saysSame = (tokens: readonly Pick<Token, 'norm'>[], i: number): boolean => {
  const norm = tokens[i]?.norm;
  return norm === 'аналогично' || (norm === 'самое' && (tokens[i - 1]?.norm === 'тоже' || (tokens[i - 1]?.norm === 'же' && tokens[i - 2]?.norm === 'то')));
};

/** After "без", what may follow when the utility is left unsaid ("тоже без с утра", "Кирова тоже без"). */
const UNSAID_AFTER = /^(с|со|уже|до|всего|ничего|утра|ночи|вечера|обеда|пока|опять|снова)$/;
const withoutSomethingElse = (next: Pick<Token, 'norm'> | undefined): boolean => next !== undefined && !UNSAID_AFTER.test(next.norm);

/** "Берёзовская 90 тоже без газа", "и у нас так же": one more house of the outage just reported. */
export const saysMeToo = (tokens: readonly Pick<Token, 'norm'>[]): boolean =>
  tokens.some(({ norm }, i) => norm === 'тоже' || (norm === 'так' && tokens[i + 1]?.norm === 'же'));

const LAMPS = /^(фонар|освещен|лампочк|прожектор)/;

/** Street lights named: "Минина без света, кто отвечает за фонари?" is about the lamps, not the mains. */
export const namesLamps = (tokens: readonly Pick<Token, 'norm'>[]): boolean => tokens.some(({ norm }) => LAMPS.test(norm));

/** The outage over: "дали свет", "вода появилась", "батареи потеплели", "газ пошёл". */
const ENDED = /^(дали$|появил|пошл[аио]$|пошел$|включил|восстановл|вернул|потеплел|запустил|есть$)/;

/**
 * Whether the post tells an outage's end. The end is told when it comes, often long after the
 * outage's last complaint ("Дали отопление! Лескова 40 уже тёплые" the next morning).
 */
export const outageEnded = (tokens: readonly Pick<Token, 'norm'>[]): boolean =>
  // "так и не включили" is the outage going on.
  tokens.some(({ norm }, i) => ENDED.test(norm) && tokens[i - 1]?.norm !== 'не' && !(norm === 'есть' && asksWho(tokens, i)));

/** "у кого свет есть?", "есть у кого горячая?" ask who still has it: the outage goes on. */
const asksWho = (tokens: readonly Pick<Token, 'norm'>[], at: number): boolean => {
  for (let i = Math.max(0, at - 3); i <= at + 2; i++) if (tokens[i]?.norm === 'кого') return true;
  return false;
};
