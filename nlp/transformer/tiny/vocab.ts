/**
 * The tiny model's WordPiece vocabulary: special tokens, common Russian words and stems of the
 * complaints Radar reads, frequent endings as `##` pieces, and every letter and digit (alone and as
 * `##` piece), so any Russian text tokenises to real pieces and never to [UNK].
 */

export const specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Whole short words: prepositions, particles, pronouns. */
const words = `в на у по не нет и а с к до от за из для уже еще это дом ул д мы нас нам вы вас они он она оно
их его ее все всё как так что где когда почему кто там тут здесь очень опять снова уже даже только когда
день дня дней неделю месяц год года лет час часа часов утра вечера ночью сегодня вчера завтра`;

/** Stems: what the complaints are about, where, who. */
const stems = `вод горяч холодн отоплен батаре тепл труб кран стояк подвал подъезд крыш кровл протек лифт свет
электр напряж газ канализац засор запах вонь мусор контейнер бак свалк вывоз отход помойк дорог асфальт
ям выбоин разметк светофор переход перекрест тротуар обочин парковк машин автобус маршрут трамва
троллейбус останов транспорт метро электрич поезд вокзал такс водител пассажир школ сад детск учител
урок класс больниц поликлиник врач скор лекарств аптек запис прием очеред пенси льгот пособи социальн
инвалид ветеран пожил многодет семь дет ребен мам пап снег сугроб гололед лед сосульк чист убор дворник
двор площадк качел горк скамейк лавочк фонар освещен парк сквер газон дерев ветк куст собак бездомн
животн стрел пожар дым гар выброс завод рек озер рыб лес воздух шум стройк строител ремонт капремонт
управляющ компани жкх тсж водоканал администрац мэр глав район город област поселок деревн сел улиц
проспект шоссе мост набережн площад центр нижн новгород дзержинск кстов арзамас бор балахн выкс
полици мчс прокуратур суд жалоб обращен заявк звон телефон ответ отвеча сделал сделать исправ починит
почин устран провер приех приезжа ждем жд терп невозможн ужас кошмар безобраз опасн угроз жизн срочн
помог помощ спасиб благодар концерт праздник фестивал выставк продам куплю сдам недорог скидк акци
новост сообщ информац власт скрыва перешл знаком сказал говор вирус отравл эпидеми масштаб`;

/** Frequent Russian endings, as continuation pieces. */
const endings = `а я о е и ы у ю ь й ом ем ой ей ам ям ах ях ами ями ов ев ий ый ая яя ое ее ые ие ого его ому ему
ым им ую юю ет ит ут ют ат ят ать ять ить еть ал ил ел ла ли ло ена ено ены ется ится ние ния нии ность ости
ск ская ский ское ских ого ки ка ку ке кой ном ной ных ного ная`;

const letters = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя0123456789abcdefghijklmnopqrstuvwxyz';
const punctuation = '.,!?;:-—()«»"\'/№%#@+';

const split = (s: string): string[] => s.split(/\s+/u).filter(Boolean);

/** Token -> id; the order is fixed so the same generator gives the same file. */
export const buildVocab = (): Map<string, number> => {
  const vocab = new Map<string, number>();
  const add = (token: string): void => {
    if (!vocab.has(token)) vocab.set(token, vocab.size);
  };
  specialTokens.forEach(add);
  split(words).forEach(add);
  split(stems).forEach(add);
  split(endings).forEach((e) => add(`##${e}`));
  for (const ch of letters) {
    add(ch);
    add(`##${ch}`);
  }
  for (const ch of punctuation) add(ch);
  return vocab;
};
