import type { FakeAssessment, RiskLevel } from '../core/types.js';
import type { FakeRiskScorer, NormalizedDoc, PropagationSignals } from './contract.js';
import { matchesIn } from './doc-cache.js';
import { Lexicon } from './lexicon.js';

type Feature =
  | 'spread' | 'insider' | 'coverUp' | 'secret' | 'rumor' | 'alarm' | 'caps' | 'exclaim' | 'numbers' | 'propagation' | 'official';

/** Russian reasons shown to operators, one per feature. */
const REASONS: Readonly<Record<Feature, string>> = {
  spread: 'Призыв срочно распространить сообщение',
  insider: 'Ссылка на неназванного «знакомого» или инсайдера',
  coverUp: 'Утверждение, что власти или СМИ скрывают информацию',
  secret: 'Информация подаётся как секретная («по секрету», «пока не удалили»)',
  rumor: 'Ссылка на непроверяемые источники (слухи, чаты)',
  alarm: 'Алармистская лексика',
  caps: 'Текст написан заглавными буквами',
  exclaim: 'Избыток восклицательных знаков',
  numbers: 'Цифры без указания источника',
  propagation: 'Быстрое распространение по многим источникам',
  official: 'Есть ссылка на официальный источник',
};

/** Logit weights; the bias keeps an ordinary complaint around 0.08. */
const WEIGHTS: Readonly<Record<Feature, number>> = {
  spread: 2.2, insider: 1.5, coverUp: 1.6, secret: 1.1, rumor: 1.1, alarm: 0.9, caps: 0.8, exclaim: 0.6, numbers: 0.7,
  propagation: 1.2, official: -1.0,
};
const BIAS = -2.5;

type Cue = Exclude<Feature, 'caps' | 'exclaim' | 'numbers' | 'propagation'>;

const cueTerms: ReadonlyArray<readonly [string, Cue]> = [
  ['срочно перешл*', 'spread'], ['перешлите', 'spread'], ['перешли*', 'spread'], ['распространит*', 'spread'],
  ['распространяйте', 'spread'], ['разошлите', 'spread'], ['сделайте репост*', 'spread'], ['репост*', 'spread'],
  ['поделитесь', 'spread'], ['отправьте всем', 'spread'], ['передайте всем', 'spread'], ['передай* друг*', 'spread'],
  ['максимальн* репост', 'spread'], ['всем знакомым', 'spread'], ['скиньте всем', 'spread'],
  ['знаком* врач*', 'insider'], ['знаком* сотрудник*', 'insider'], ['знаком* работает', 'insider'], ['знакомая сказала', 'insider'],
  ['знакомый сказал', 'insider'], ['мне знаком*', 'insider'], ['друг работает', 'insider'], ['подруга работает', 'insider'],
  ['сестра работает', 'insider'], ['брат работает', 'insider'], ['муж работает', 'insider'], ['кум работает', 'insider'],
  ['инсайд*', 'insider'], ['источник* в', 'insider'], ['свои люди', 'insider'], ['мой знаком*', 'insider'],
  ['власти скрыва*', 'coverUp'], ['скрывают', 'coverUp'], ['замалчива*', 'coverUp'], ['сми молчат', 'coverUp'],
  ['молчат', 'coverUp'], ['вам не скажут', 'coverUp'], ['по телевизору не', 'coverUp'], ['не покажут', 'coverUp'],
  ['правду не', 'coverUp'], ['от нас скрыва*', 'coverUp'], ['засекречен*', 'coverUp'],
  ['по секрету', 'secret'], ['пока не удалили', 'secret'], ['пока не удалено', 'secret'], ['только для своих', 'secret'],
  ['удалят', 'secret'], ['не для всех', 'secret'],
  ['говорят', 'rumor'], ['по слухам', 'rumor'], ['ходят слухи', 'rumor'], ['слух*', 'rumor'], ['в чате пишут', 'rumor'],
  ['в чатах пишут', 'rumor'], ['пишут в чат*', 'rumor'], ['в чате', 'rumor'], ['в интернете пишут', 'rumor'], ['якобы', 'rumor'],
  ['по непроверенн*', 'rumor'], ['кто-то написал', 'rumor'], ['сказали соседи', 'rumor'], ['соседи говорят', 'rumor'],
  ['в вотсап*', 'rumor'], ['в ватсап*', 'rumor'], ['в телеграм* пишут', 'rumor'],
  ['катастроф*', 'alarm'], ['все умрут', 'alarm'], ['умрем', 'alarm'], ['эпидеми*', 'alarm'], ['отравлен*', 'alarm'],
  ['массов* гибел*', 'alarm'], ['гибел*', 'alarm'], ['паник*', 'alarm'], ['трупы', 'alarm'], ['вирус*', 'alarm'],
  ['радиаци*', 'alarm'], ['химическ* атак*', 'alarm'], ['теракт*', 'alarm'], ['эвакуаци*', 'alarm'], ['срочно', 'alarm'],
  ['внимание', 'alarm'], ['ужас', 'alarm'], ['холер*', 'alarm'], ['кошмар*', 'alarm'], ['апокалипс*', 'alarm'],
  ['конец света', 'alarm'], ['не пейте', 'alarm'], ['не выходите', 'alarm'],
  ['по данным', 'official'], ['официальн*', 'official'], ['пресс-служб*', 'official'], ['сообщает администрац*', 'official'],
  ['сообщили в', 'official'], ['мчс сообщ*', 'official'], ['подтвердили в', 'official'],
];

const cueLexicon = new Lexicon<Cue>(cueTerms);

const VICTIMS = /(?<![\p{L}\d])(\d{2,}|\d+\s?%|десятк\p{L}*|сотн\p{L}*|тысяч\p{L}*)\s+(?:\p{L}+\s+)?(?:человек|людей|погибш\p{L}*|погибл\p{L}*|умерл\p{L}*|умерш\p{L}*|заболе\p{L}*|заражен\p{L}*|отравлен\p{L}*|пострадавш\p{L}*|пострадал\p{L}*|госпитализ\p{L}*|детей|жертв\p{L}*|случа\p{L}*)/iu;
const EXCLAIM_RUN = /!{3,}|(?:!\s*){3,}|[!?]{2,}/g;

const plural = (n: number, one: string, few: string, many: string): string => {
  const d = n % 10;
  const dd = n % 100;
  if (d === 1 && dd !== 11) return one;
  if (d >= 2 && d <= 4 && (dd < 12 || dd > 14)) return few;
  return many;
};

export const levelOf = (score: number): RiskLevel => (score >= 0.7 ? 'high' : score >= 0.4 ? 'medium' : 'low');

const VICTIM_HINT = /человек|людей|погиб|умер|забол|зараж|отрав|пострада|госпит|детей|жертв|случа/i;

const capsShare = (text: string): number => {
  // Most posts have a handful of capitals; skip the word scan unless shouting is possible at all.
  let capitals = 0;
  for (let i = 0; i < text.length && capitals < 20; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 1040 && c <= 1071) || (c >= 65 && c <= 90)) capitals++;
  }
  if (capitals < 20) return 0;
  let upper = 0;
  let letters = 0;
  // exec rather than matchAll: no iterator and result objects per word.
  const words = /\p{L}{3,}/gu;
  for (let m = words.exec(text); m !== null; m = words.exec(text)) {
    const w = m[0];
    letters += w.length;
    // Abbreviations (УК, ЖКХ, МЧС) are legitimately upper-case; only long shouted words count.
    if (w.length >= 5 && w === w.toUpperCase() && w !== w.toLowerCase()) upper += w.length;
  }
  return letters >= 20 ? upper / letters : 0;
};

/** 0..1: how widely and quickly a story spread (3+ sources; faster counts more). */
export const propagationStrength = (signals: PropagationSignals): number => {
  const sources = Math.max(0, signals.storySources);
  if (sources < 3) return 0;
  const speed = signals.storySpanHours <= 6 ? 1 : signals.storySpanHours <= 24 ? 0.6 : 0.3;
  return Math.min(1, Math.log2(sources) / 4) * speed;
};

/** Weight of `propagationStrength` in any fake-risk logit, the trained one included. */
export const PROPAGATION_WEIGHT = WEIGHTS.propagation;

export const propagationReason = (signals: PropagationSignals): string => {
  const sources = Math.max(0, signals.storySources);
  return `${REASONS.propagation}: ${sources} ${plural(sources, 'источник', 'источника', 'источников')} за ${Math.max(1, Math.round(signals.storySpanHours))} ч`;
};

type ContentFeature = Exclude<Feature, 'propagation'>;

/**
 * What the text alone says, in the order the logit sums it. The trained scorer asks for a doc's cues
 * twice (as a feature and for the reasons), with different spread signals: the text is read once.
 */
const contentCache = new WeakMap<NormalizedDoc, ReadonlyArray<readonly [ContentFeature, number]>>();

const contentOf = (doc: NormalizedDoc): ReadonlyArray<readonly [ContentFeature, number]> => {
  const hit = contentCache.get(doc);
  if (hit) return hit;
  const x: Partial<Record<ContentFeature, number>> = {};
  for (const m of matchesIn(doc, cueLexicon)) x[m.payload] = Math.min((x[m.payload] ?? 0) + (m.payload === 'alarm' ? 0.5 : 1), m.payload === 'alarm' ? 2 : 1);
  const caps = capsShare(doc.clean);
  if (caps >= 0.4) x.caps = Math.min(1, caps / 0.7);
  const exclaims = doc.clean.match(EXCLAIM_RUN)?.length ?? 0;
  if (exclaims > 0) x.exclaim = Math.min(1.5, exclaims * 0.5);
  if (x.official === undefined && VICTIM_HINT.test(doc.clean) && VICTIMS.test(doc.clean)) x.numbers = 1;
  const content = Object.entries(x) as Array<[ContentFeature, number]>;
  contentCache.set(doc, content);
  return content;
};

/**
 * Fake-news risk: a logistic of weighted content features plus how fast the story spread.
 * Spread alone cannot reach `medium` (real outages spread too); it amplifies content cues.
 */
export class BaselineFakeRiskScorer implements FakeRiskScorer {
  score(doc: NormalizedDoc, signals: PropagationSignals): FakeAssessment {
    let z = BIAS;
    const contributions: Array<readonly [Feature, number]> = [];
    const add = (feature: Feature, value: number): void => {
      const c = WEIGHTS[feature] * value;
      z += c;
      if (c > 0) contributions.push([feature, c]);
    };
    for (const [feature, value] of contentOf(doc)) add(feature, value);
    const spread = propagationStrength(signals);
    if (spread > 0) add('propagation', spread);
    const score = Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
    contributions.sort((a, b) => b[1] - a[1]);
    const reasons = contributions.map(([feature]) => (feature === 'propagation' ? propagationReason(signals) : REASONS[feature]));
    return { score, level: levelOf(score), reasons };
  }
}
