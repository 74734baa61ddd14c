/**
 * Words that say a trouble goes on: "так и не починили", "до сих пор", "опять очередь", "уже
 * неделю", "второй день подряд". A lift or a clinic queue is reported again days after the first
 * complaint, later than its category's window; these words are how such a report says it is the
 * same trouble still, not a new one.
 */
import type { Token } from './contract.js';

/** One word alone: "опять", "снова", "по-прежнему". */
const ALONE = /^(опять|снова|вновь|по-прежнему)$/;
/** Two or three words: the first, then what must follow within the phrase. */
const PHRASES: readonly (readonly [string, RegExp, RegExp?])[] = [
  // "так и не починили", "так и нет воды", "так и стоит"
  // "так и бегают", "так и ходит раз в полчаса": a verb of going on, not "так и сказали".
  ['так', /^и$/, /^(не|нет|нету|стоит|стоят|висит|лежит|торчит|осталс|остал|есть|бега|живут|ход[ия]т|сид[ия]м|сидят|течет|льет|воня|пахнет|шумят|гуд[ия]т)/],
  ['ничего', /^не$/, /^(изменил|поменял|сделал)/],
  // "так ничего и не поменялось"
  ['ничего', /^и$/, /^не$/],
  ['до', /^сих$/, /^пор$/],
  ['все', /^(еще|также|больше|хуже)$/],
  ['никуда', /^(не|и)$/, /^(дел|не)/],
  ['воз', /^и$/, /^ныне$/],
  ['конь', /^не$/, /^валял/],
  ['который', /^(день|неделю|месяц|год|раз)$/],
  ['уже', /^(неделю|недели|месяц|месяца|вторую|третью|второй|третий|который|несколько|\d+)$/],
  // "второй день подряд", "3-й день", "вторую неделю"
  ['второй', /^(день|месяц|год|раз)$/],
  ['вторую', /^неделю$/],
  ['третий', /^(день|месяц|раз)$/],
  ['третью', /^неделю$/],
  // "лифт стоит пятый день", "десятый день без воды"
  ...['четвертый', 'пятый', 'шестой', 'седьмой', 'восьмой', 'девятый', 'десятый'].map((first) => [first, /^день$/] as const),
];
const ORDINAL_DAY = /^\d+-?(й|ю)$/;
/**
 * "две недели уже", "прошло три дня", "почти месяц", "вторые сутки", "третьи выходные подряд"; the
 * counts in the genitive too ("более двух недель", "больше трёх дней").
 */
const COUNT = /^(два|две|три|четыре|пять|пару|несколько|двух|трех|четырех|пяти|нескольких|вторые|третьи|четвертые|\d+)$/;
const PERIOD = /^(дн[яей]|дней|недел[иья]|недель|месяц[аев]*|сутки|суток|выходные)$/;
const SINCE = /^(уже|прошло|почти|больше|более|подряд|целую|целый)$/;
const periodAt = (tokens: readonly Pick<Token, 'norm'>[], i: number): boolean => {
  const norm = (tokens[i] as Pick<Token, 'norm'>).norm;
  const counted = COUNT.test(norm) && PERIOD.test(tokens[i + 1]?.norm ?? '');
  // "больше недели", "почти месяц"
  const bare = norm === 'месяц' || norm === 'неделю' || norm === 'недели' || norm === 'месяца';
  if (!counted && !bare) return false;
  const end = counted ? i + 1 : i;
  // The period must be said as time gone by: "уже", "прошло", "подряд" next to it.
  for (const j of [i - 2, i - 1, end + 1]) if (SINCE.test(tokens[j]?.norm ?? '')) return true;
  return /^(вторые|третьи|четвертые)$/.test(norm);
};
const SPAN = /^(день|неделю|месяц)$/;
const FIRSTS = new Map(PHRASES.map(([first, second, third]) => [first, [second, third] as const]));

/**
 * Whether the tokens say the trouble they report goes on. Without `again`, "опять" and "снова" do
 * not count: an outage "снова" is the next one, while "так и нет газа" is the same one still.
 */
export const troublePersists = (tokens: readonly Pick<Token, 'norm'>[], again = true): boolean => {
  for (let i = 0; i < tokens.length; i++) {
    const norm = (tokens[i] as Pick<Token, 'norm'>).norm;
    if ((again && ALONE.test(norm)) || periodAt(tokens, i)) return true;
    const next = tokens[i + 1]?.norm;
    if (next === undefined) continue;
    if (ORDINAL_DAY.test(norm) && SPAN.test(next)) return true;
    const rest = FIRSTS.get(norm);
    if (!rest || !rest[0].test(next)) continue;
    const third = rest[1];
    if (third === undefined) return true;
    const after = tokens[i + 2]?.norm;
    if (after !== undefined && third.test(after)) return true;
  }
  return false;
};
