import test from 'ava';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import type { Post, Problem } from '../core/types.js';
import { MemoryDedupIndex } from '../store/memory-dedup.js';
import { categoriesFor, dedupOne } from './dedup.js';
import type { ClassifiedItem, StageContext } from './items.js';
import { createToolkit } from './runtime.js';

const config = loadConfig({ overrides: { logLevel: 'silent' } });
const nlp = createToolkit(config);

const contextFor = (index: MemoryDedupIndex): StageContext => ({
  nlp,
  sink: { saveAnalyses: async () => undefined, markFailed: async () => undefined },
  dedupIndex: index,
  dedup: { ...config.dedup, sourceAreas: { 'vk-kstovo': 'Кстово' } },
  logger: silentLogger,
  fail: () => undefined,
});

/** A classified post with one problem over `problemText`, a part of `text` (or all of it). */
const item = (id: string, text: string, problemText: string, publishedAt: string, category = 'energy', alternatives?: readonly string[]): ClassifiedItem => {
  const doc = nlp.normalizer.normalize(text);
  const start = doc.clean.indexOf(problemText);
  if (start < 0) throw new Error(`${problemText} is not in ${doc.clean}`);
  const span = { start, end: start + problemText.length };
  const post: Post = { id, source: 'vk-kstovo', externalId: id, text, author: null, url: null, publishedAt, collectedAt: publishedAt, location: null, raw: {} };
  const problem: Problem = { index: 0, text: problemText, span, category, confidence: 0.9, urgency: 'medium', facts: nlp.extractor.extract(doc, span) };
  const classification = { isProblem: true, relevance: 0.9, category, confidence: 0.6, urgency: 'medium' as const, ...(alternatives ? { alternatives } : {}) };
  return { post, doc, segments: [{ text: problemText, span }], embedding: null, segmentEmbeddings: null, facts: nlp.extractor.extract(doc), classifications: [classification], problems: [problem], isProblem: true };
};

/** The items deduplicated one after another in a fresh index: what each became. */
type Deduped = Awaited<ReturnType<typeof dedupOne>>;
const inOrder = async <T extends ClassifiedItem[]>(...items: T): Promise<{ [K in keyof T]: Deduped }> => {
  const ctx = contextFor(new MemoryDedupIndex());
  const out: Deduped[] = [];
  for (const one of items) out.push(await dedupOne(one, ctx));
  return out as { [K in keyof T]: Deduped };
};

/** Whether the second report joins the first one's incident, the two deduplicated in a fresh index. */
const joins = async (first: string, firstAt: string, second: string, secondAt: string, category: string): Promise<boolean> => {
  const [a, b] = await inOrder(item('j1', first, first, firstAt, category), item('j2', second, second, secondAt, category));
  return b.incidentIds[0] === a.incidentIds[0];
};

/** The post split in two: its problem, and a second one over `second` filed under `category`. */
const withSecond = (post: ClassifiedItem, second: string, category: string): ClassifiedItem => {
  const start = post.doc.clean.indexOf(second);
  if (start < 0) throw new Error(`${second} is not in ${post.doc.clean}`);
  const span = { start, end: start + second.length };
  const problem: Problem = { index: 1, text: second, span, category, confidence: 0.9, urgency: 'medium', facts: nlp.extractor.extract(post.doc, span) };
  return { ...post, problems: [post.problems[0] as Problem, problem] };
};

test('the only problem of a post is placed by the words of the whole post, not just its span', async (t) => {
  const ctx = contextFor(new MemoryDedupIndex());
  // The splitter may keep "В Кстове пропал свет!!!" out of the problem's span (an exclamation
  // alone reads like chatter); the outage is still what the post is about.
  const first = await dedupOne(item('a', 'В Кстове пропал свет!!! Школьная, у нас весь дом и соседние тоже', 'Школьная, у нас весь дом и соседние тоже', '2026-11-16T16:10:00Z'), ctx);
  const second = await dedupOne(item('b', 'Островского — света нет, лифт встал', 'Островского — света нет, лифт встал', '2026-11-16T16:40:00Z'), ctx);
  t.is(second.incidentIds[0], first.incidentIds[0], 'two streets of one town without power within the hour are one outage');
});

test('each of several problems of a post is placed by its own words', async (t) => {
  const ctx = contextFor(new MemoryDedupIndex());
  const text = 'Во дворе на Школьной не вывозят мусор. А в соседнем доме пропал свет на Островского';
  const post = item('c', text, 'Во дворе на Школьной не вывозят мусор.', '2026-11-16T16:10:00Z', 'waste');
  const first = await dedupOne(withSecond(post, 'А в соседнем доме пропал свет на Островского', 'energy'), ctx);
  const outage = await dedupOne(item('d', 'Островского — света нет, лифт встал', 'Островского — света нет, лифт встал', '2026-11-16T16:40:00Z'), ctx);
  t.is(outage.incidentIds[0], first.incidentIds[1], 'the outage joins the outage');
  t.not(outage.incidentIds[0], first.incidentIds[0], 'not the rubbish problem of the same post');
});

test('a category the classifier gave a fair chance counts as related for merging', async (t) => {
  const text = 'Школьная 7, во дворе контейнеры переполнены, мусор не вывозят неделю';
  const again = 'Школьная 7: двор опять завален, всё переполнено неделю, крысы';
  // The classifier took the second report for urban (yards) with waste a close second.
  const [a, b] = await inOrder(item('e', text, text, '2026-11-16T10:00:00Z', 'waste'), item('f', again, again, '2026-11-17T10:00:00Z', 'urban', ['waste']));
  t.not(b.storyId, a.storyId, 'two tellings, not copies of one story');
  t.is(b.incidentIds[0], a.incidentIds[0]);
  // Without the alternative, urban and waste are unrelated: the category rule keeps them apart (the
  // second report names no trouble of the first one's topics, which would also bridge the categories).
  const [c, d] = await inOrder(item('e', text, text, '2026-11-16T10:00:00Z', 'waste'), item('f', again, again, '2026-11-17T10:00:00Z', 'urban'));
  t.not(d.incidentIds[0], c.incidentIds[0]);
});

test('an incident keeps the categories its reports were given a fair chance: a later report filed under one of them is related', async (t) => {
  const text = 'Школьная 7, во дворе контейнеры переполнены, мусор не вывозят неделю';
  const again = 'Школьная 7: двор опять завален, всё переполнено неделю, крысы';
  // The first report was read as urban with waste a close second; the second one as waste, with no alternative.
  const [a, b] = await inOrder(item('g', text, text, '2026-11-16T10:00:00Z', 'urban', ['waste']), item('h', again, again, '2026-11-17T10:00:00Z', 'waste'));
  t.is(b.incidentIds[0], a.incidentIds[0]);
  const [c, d] = await inOrder(item('g', text, text, '2026-11-16T10:00:00Z', 'urban'), item('h', again, again, '2026-11-17T10:00:00Z', 'waste'));
  t.not(d.incidentIds[0], c.incidentIds[0]);
});

test('categoriesFor adds the alternatives of the problem\'s own segments only, after the related ones', (t) => {
  const span = { start: 0, end: 10 };
  const other = { start: 11, end: 20 };
  const classification = (alternatives?: readonly string[]) => ({ isProblem: true, relevance: 1, category: 'urban', confidence: 0.5, urgency: 'low' as const, ...(alternatives ? { alternatives } : {}) });
  const related = categoriesFor(config.dedup, { segments: [{ text: '', span }], classifications: [classification()] }, { category: 'urban', span });
  t.deepEqual(categoriesFor(config.dedup, { segments: [{ text: '', span }, { text: '', span: other }], classifications: [classification(['waste', 'roads']), classification(['health'])] }, { category: 'urban', span }), [...related, 'waste']);
});

/** A post the classifier read as no problem, at a given relevance. */
const noProblem = (id: string, text: string, publishedAt: string, relevance: number, category = 'energy'): ClassifiedItem => {
  const base = item(id, text, text, publishedAt);
  return { ...base, classifications: [{ isProblem: false, relevance, category, confidence: 0.6, urgency: 'low' }], problems: [], isProblem: false };
};

test('a post read as no problem becomes a report of an open incident it clearly matches, and never opens one', async (t) => {
  const ctx = contextFor(new MemoryDedupIndex());
  const outage = await dedupOne(item('e', 'Кстово без света! Бульвар Нефтепереработчиков, подстанцию выбило', 'Кстово без света! Бульвар Нефтепереработчиков, подстанцию выбило', '2026-11-16T16:10:00Z'), ctx);
  const news = await dedupOne(noProblem('f', 'В Кстове отключение электроэнергии: выбило подстанцию, без света бульвар Нефтепереработчиков', '2026-11-16T17:00:00Z', 0.3), ctx);
  t.true(news.isProblem);
  t.deepEqual(news.incidentIds, outage.incidentIds);
  t.is(news.problems[0]?.incidentId, outage.incidentIds[0]);
  // Nothing to follow up: it stays no problem, with no incident of its own.
  const chatter = await dedupOne(noProblem('g', 'Кстово, кто пойдёт в субботу на турнир по мини-футболу?', '2026-11-16T17:10:00Z', 0.3), ctx);
  t.false(chatter.isProblem);
  t.deepEqual(chatter.incidentIds, []);
  // At the incident's place but about something else: no shared trouble, no follow-up.
  const shop = await dedupOne(noProblem('i', 'На бульваре Нефтепереработчиков в Кстове открылся новый магазин, заходите', '2026-11-16T17:15:00Z', 0.3), ctx);
  t.false(shop.isProblem);
  t.deepEqual(shop.incidentIds, []);
  // Below the relevance floor a post is not even looked up, however alike...
  const quiet = await dedupOne(noProblem('h', 'В Кстове на бульваре Нефтепереработчиков выбило подстанцию', '2026-11-16T17:20:00Z', 0.05), ctx);
  t.false(quiet.isProblem);
  t.deepEqual(quiet.incidentIds, []);
  // ...unless it names an outage: a news item's neutral wording reads as little relevance.
  const report = await dedupOne(noProblem('j', 'В Кстове произошло отключение электроэнергии, энергетики работают', '2026-11-16T17:25:00Z', 0.05), ctx);
  t.true(report.isProblem);
  t.deepEqual(report.incidentIds, outage.incidentIds);
  // ...or reads as a reply in the outage's thread: "Республиканская тоже горит, спасибо" names no utility.
  const thanks = await dedupOne(noProblem('k', 'Бульвар Нефтепереработчиков тоже горит 🔥 спасибо энергетикам', '2026-11-16T18:00:00Z', 0.05), ctx);
  t.true(thanks.isProblem);
  t.deepEqual(thanks.incidentIds, outage.incidentIds);
});

test("an authority's notice that reads as no complaint is news of the incident whose trouble it names; a short greeting is not", async (t) => {
  const ctx = contextFor(new MemoryDedupIndex());
  const dogs = await dedupOne(item('a', 'Стая собак у школы №2 кидается на детей, штук восемь', 'Стая собак у школы №2 кидается на детей, штук восемь', '2026-10-02T05:50:00Z', 'safety'), ctx);
  const notice = await dedupOne(
    noProblem('b', 'Администрация Кстовского округа информирует: по обращениям жителей о стае собак у школы №2, которая кидается на детей, проведён отлов', '2026-10-04T09:00:00Z', 0.05, 'safety'),
    ctx,
  );
  t.true(notice.isProblem);
  t.deepEqual(notice.incidentIds, dogs.incidentIds);
  const greeting = await dedupOne(noProblem('c', 'Кстово, всем добрых собак и хорошей погоды!', '2026-10-04T10:00:00Z', 0.05, 'safety'), ctx);
  t.false(greeting.isProblem);
  t.deepEqual(greeting.incidentIds, []);
});

test('a trouble said to go on in the feed that reported it joins that feed\'s one incident of it, however few words they share', async (t) => {
  const dogs = 'У станции собаки стаей бегают, вечером с электрички идти страшно';
  const again = 'собаки так и живут, кто-то их подкармливает';
  // Nine days on: past the category's window, within the anchored one.
  t.true(await joins(dogs, '2026-02-06T16:30:00Z', again, '2026-02-15T05:20:00Z', 'safety'));
  // Without words that it goes on, a placeless report is a new one.
  t.false(await joins(dogs, '2026-02-06T16:30:00Z', 'собаки, кто-то их подкармливает', '2026-02-15T05:20:00Z', 'safety'));
  // Two packs reported in the feed: the placeless report cannot tell which, and the score decides.
  const two = contextFor(new MemoryDedupIndex());
  const e = await dedupOne(item('s1', dogs, dogs, '2026-02-06T16:30:00Z', 'safety'), two);
  // The second pack, reported past the first one's window, is an incident of its own.
  const school = 'У школы на Ленина стая собак, на сына кинулись';
  const f = await dedupOne(item('s3', school, school, '2026-02-12T08:00:00Z', 'safety'), two);
  t.not(f.incidentIds[0], e.incidentIds[0]);
  const g = await dedupOne(item('s2', again, again, '2026-02-15T05:20:00Z', 'safety'), two);
  // The score prefers the pack reported three days before to the one reported nine days before.
  t.is(g.incidentIds[0], f.incidentIds[0]);
});

test('a route number names the service: a report with one and no service word still shares its trouble', async (t) => {
  const first = 'Автобус 68 стою 40 минут, ни одного, раньше каждые 10 минут ходил';
  const then = 'шестьдесят восьмой так и ходит раз в полчаса';
  // Eight days on, past the transport window: the route and the trouble anchor it.
  t.true(await joins(first, '2026-02-04T04:55:00Z', then, '2026-02-12T05:05:00Z', 'transport'));
});

test('a follow-up must share the incident\'s trouble: thanks to a clinic\'s surgeons is no news of its queues', async (t) => {
  const ctx = contextFor(new MemoryDedupIndex());
  const queue = 'В ЦРБ к терапевту не попасть, один врач на весь район, талоны разбирают в 7 утра';
  const a = await dedupOne(item('q1', queue, queue, '2026-02-18T07:00:00Z', 'health'), ctx);
  const thanks = await dedupOne(noProblem('q2', 'Спасибо нашим врачам из ЦРБ, хирургическое отделение, за маму! Золотые руки у вас', '2026-02-20T08:00:00Z', 0.3, 'health'), ctx);
  t.false(thanks.isProblem);
  t.deepEqual(thanks.incidentIds, []);
  const again = await dedupOne(noProblem('q3', 'в ЦРБ к терапевту так и не попасть, талонов нет', '2026-02-20T09:00:00Z', 0.3, 'health'), ctx);
  t.deepEqual(again.incidentIds, a.incidentIds);
});

/** A report, then a post read as no problem below the relevance floor that says more (joins), and one that does not (stays no problem). */
const belowFloor = test.macro(async (t, category: string, first: readonly [string, string], said: readonly [string, string], quiet: readonly [string, string]) => {
  const ctx = contextFor(new MemoryDedupIndex());
  const a = await dedupOne(item('f1', first[0], first[0], first[1], category), ctx);
  t.deepEqual((await dedupOne(noProblem('f2', said[0], said[1], 0.05, category), ctx)).incidentIds, a.incidentIds);
  t.deepEqual((await dedupOne(noProblem('f3', quiet[0], quiet[1], 0.05, category), ctx)).incidentIds, [], 'chatter at that relevance');
});

test(
  'below the relevance floor, a post that says its trouble goes on is still looked up as a follow-up',
  belowFloor,
  'safety',
  ['У школы на Школьной стая собак, штук 8, дети боятся идти на уроки', '2026-02-18T07:00:00Z'],
  ['на Школьной собаки так и бегают у школы, четвёртый день', '2026-02-20T09:00:00Z'],
  ['на Школьной у школы собаки бегают', '2026-02-20T09:30:00Z'],
);

test("a split post's second problem that names the outage its first one joined joins it too, rather than opening a decoy", async (t) => {
  const ctx = contextFor(new MemoryDedupIndex());
  const a = await dedupOne(item('h', 'Кстово, Школьная 5 и Островского 3 — батареи ледяные с ночи, отопления нет', 'Кстово, Школьная 5 и Островского 3 — батареи ледяные с ночи, отопления нет', '2026-11-09T04:25:00Z', 'housing'), ctx);
  const text = 'У Культуры 6 из-под асфальта пар валит и вода хлещет, вся полоса в воде. Это из-за этого у всех батареи холодные?';
  const post = item('i', text, 'У Культуры 6 из-под асфальта пар валит и вода хлещет, вся полоса в воде.', '2026-11-09T09:15:00Z', 'roads', ['housing']);
  const split = await dedupOne(withSecond(post, 'Это из-за этого у всех батареи холодные?', 'housing'), ctx);
  t.is(split.incidentIds[0], a.incidentIds[0], 'the steam at one more house is the heating break');
  t.is(split.incidentIds[1], a.incidentIds[0], 'and so are the cold radiators it asks about');
});

test('a split post of one school\'s cold makes one incident, and a later report of it joins that one', async (t) => {
  const ctx = contextFor(new MemoryDedupIndex());
  const text = 'Школа 121 на Березовской — в кабинетах +14, дети сидят в куртках. Директор говорит проблема с отоплением, ждите.';
  const post = item('j', text, 'Школа 121 на Березовской — в кабинетах +14, дети сидят в куртках.', '2026-01-13T07:00:00Z', 'education');
  const split = await dedupOne(withSecond(post, 'Директор говорит проблема с отоплением, ждите.', 'housing'), ctx);
  t.is(split.incidentIds[1], split.incidentIds[0]);
  const again = 'Школа 121 на Березовской — до сих пор холодно в кабинетах, дети сидят в куртках';
  const later = await dedupOne(item('k', again, again, '2026-01-20T07:00:00Z', 'education'), ctx);
  t.is(later.incidentIds[0], split.incidentIds[0]);
});

test('a report naming a route is about the service, not a reply in an outage thread: "40-ка опять пропала" joins the route', async (t) => {
  const first = 'А-40 по 40 минут ждать на Пролетарской утром это норма? раньше каждые 10 ходил';
  const again = '40-ка опять пропала, полчаса на остановке стою. минтранс вы там живы';
  t.true(await joins(first, '2026-10-12T05:30:00Z', again, '2026-10-16T06:00:00Z', 'transport'));
});

test('an outage promised to end on a day stays open until then for its feed: "на Мира тоже горячей нет" five days on joins it', async (t) => {
  const promised = 'Горячую воду на Школьной отключили, вернут не раньше 8 сентября';
  const again = 'на Мира тоже горячей нет';
  t.true(await joins(promised, '2026-09-01T05:00:00Z', again, '2026-09-06T10:00:00Z', 'housing'));
  // Without a promised day the outage's hours are long past; after the day, so is the promise.
  t.false(await joins('Горячую воду на Школьной отключили, обещают скоро дать', '2026-09-01T05:00:00Z', again, '2026-09-06T10:00:00Z', 'housing'));
  t.false(await joins(promised, '2026-09-01T05:00:00Z', again, '2026-09-10T10:00:00Z', 'housing'));
});

test("a split post's second problem at the same numbered school with no other trouble joins its sibling's incident; another trouble does not", async (t) => {
  const cold = 'Дети в школе №4 сидят на уроках в куртках, в кабинете 15 градусов! В школе №4 отопление не работает, директор молчит.';
  const post = item('q', cold, 'Дети в школе №4 сидят на уроках в куртках, в кабинете 15 градусов!', '2026-11-10T11:00:00Z', 'education');
  const [split] = await inOrder(withSecond(post, 'В школе №4 отопление не работает, директор молчит.', 'housing'));
  t.is(split.incidentIds[1], split.incidentIds[0]);
  const meals = 'Дети в школе №4 сидят на уроках в куртках, в кабинете 15 градусов! А в столовой школы №4 кормят непонятно чем.';
  const other = item('r', meals, 'Дети в школе №4 сидят на уроках в куртках, в кабинете 15 градусов!', '2026-11-10T11:00:00Z', 'education');
  const [two] = await inOrder(withSecond(other, 'А в столовой школы №4 кормят непонятно чем.', 'education'));
  t.not(two.incidentIds[1], two.incidentIds[0]);
});

test('a report the score joins stays there, though it is the only thread of another incident', async (t) => {
  const school = 'Школа №5: отопление не работает';
  const copied = 'Холодно в кабинетах, дети сидят на уроках в куртках и шапках, директор молчит, в управлении образования трубку не берут. Сколько можно терпеть, родители';
  const again = `${copied}! Школа №5`;
  const [a, b, c] = await inOrder(item('u1', school, school, '2026-01-13T07:00:00Z', 'education'), item('u2', copied, copied, '2026-01-13T08:00:00Z', 'education'), item('u3', again, again, '2026-01-13T09:00:00Z', 'education'));
  t.not(b.incidentIds[0], a.incidentIds[0]);
  t.is(c.incidentIds[0], b.incidentIds[0], 'the copy of its story, not the school it names');
});

test('an intercity bus is named by where it goes: told again days later in other words, it is the same service; a train there is not', async (t) => {
  const cancelled = 'Автобус Кстово — Арзамас в 7:00 отменили без предупреждения! Как на работу добираться?';
  t.true(await joins(cancelled, '2026-03-02T07:08:00Z', 'утренний автобус на Арзамас так и не вернули, стоим на остановке как дураки', '2026-03-05T09:06:00Z', 'transport'));
  t.false(await joins(cancelled, '2026-03-02T07:08:00Z', 'электричка на Арзамас так и не ходит по расписанию, стоим на платформе', '2026-03-05T09:06:00Z', 'transport'), 'the train');
  t.false(await joins(cancelled, '2026-03-02T07:08:00Z', 'утренний автобус на Выксу так и не вернули, стоим на остановке как дураки', '2026-03-05T09:06:00Z', 'transport'), 'another town');
});

test('"тоже … пластик жгут" is a fire, not a light come back in a thread: it does not join a broken slide on the same street', async (t) => {
  const slide = 'Юбилейный бульвар 20, на детской площадке горка сломана, торчит болт и железный лист';
  const smoke = 'Тоже чувствуем, Юбилейный бульвар. Как будто пластик жгут';
  // The classifier read the reply as the energy of an outage thread, which urban is related to.
  const [a, b] = await inOrder(item('s1', slide, slide, '2026-07-03T15:20:00Z', 'urban'), item('s2', smoke, smoke, '2026-07-10T19:52:00Z', 'energy'));
  t.not(b.incidentIds[0], a.incidentIds[0]);
});

test('the words between an address\'s street and its house are the trouble: a fallen poplar there is no broken lift of that house', async (t) => {
  t.false(await joins('На Школьной тополь упал прямо на машины у дома 5, две раздавило', '2026-07-07T17:00:00Z', 'Школьная 5, лифт не работает третий день', '2026-07-08T09:00:00Z', 'housing'));
});

test('a report that names no place, which the rules join to two outages at once, goes to the one its own feed has been reporting', async (t) => {
  const ctx = { ...contextFor(new MemoryDedupIndex()), dedup: { ...config.dedup, sourceAreas: { 'vk-sormovo': 'Нижний Новгород', 'ok-avtozavod': 'Нижний Новгород' } } };
  const from = (source: string, one: ClassifiedItem): ClassifiedItem => ({ ...one, post: { ...one.post, source } });
  const avtozavod = 'Автозаводский район без света, на Веденяпина темно';
  const sormovo = 'Сормовский район без света после грозы, на Коминтерна всё вырубилось';
  const a = await dedupOne(from('ok-avtozavod', item('s1', avtozavod, avtozavod, '2026-05-12T16:55:00Z')), ctx);
  const s = await dedupOne(from('vk-sormovo', item('s2', sormovo, sormovo, '2026-05-12T17:00:00Z')), ctx);
  t.not(s.incidentIds[0], a.incidentIds[0]);
  const candles = 'четвертый час сидим при свечах, дети уснуть не могут';
  t.deepEqual((await dedupOne(from('vk-sormovo', item('s3', candles, candles, '2026-05-12T20:05:00Z')), ctx)).incidentIds, s.incidentIds);
  t.deepEqual((await dedupOne(from('ok-avtozavod', item('s4', candles, candles, '2026-05-12T20:06:00Z')), ctx)).incidentIds, a.incidentIds);
});

test(
  "below the relevance floor, a post that says its trouble was fixed is looked up as the incident's last report",
  belowFloor,
  'roads',
  ['на Советской возле Магнита яма, соседи уже два колеса в ней оставили', '2026-06-02T09:00:00Z'],
  ['Ямочный ремонт на Советской сделали 👍 спасибо администрации', '2026-06-12T06:30:00Z'],
  ['на Советской сегодня хорошо, спасибо администрации за праздник', '2026-06-12T07:00:00Z'],
);
