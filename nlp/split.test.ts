import test, { type ExecutionContext } from 'ava';
import { createBaselineToolkit } from './index.js';
import { assembleProblems } from './problems.js';

const toolkit = createBaselineToolkit();
const segmentsOf = (text: string): string[] => {
  const doc = toolkit.normalizer.normalize(text);
  const segments = toolkit.splitter.split(doc);
  for (const s of segments) t0(doc.clean.slice(s.span.start, s.span.end) === s.text);
  return segments.map((s) => s.text);
};
const t0 = (ok: boolean): void => {
  if (!ok) throw new Error('segment span does not slice to its text');
};

const analyse = (text: string) => {
  const doc = toolkit.normalizer.normalize(text);
  const segments = toolkit.splitter.split(doc);
  const classifications = toolkit.classifier.classify(doc, segments);
  return { doc, problems: assembleProblems(doc, segments, classifications, toolkit.extractor) };
};

test('contrastive connector between two complaints splits the sentence', (t) => {
  t.deepEqual(segmentsOf('во дворе не вывозят мусор, а на перекрёстке не работает светофор'), [
    'во дворе не вывозят мусор',
    'на перекрёстке не работает светофор',
  ]);
});

test('additive connectors split: "ещё и", "кроме того", "а также"', (t) => {
  t.deepEqual(segmentsOf('в подъезде не убирают, ещё и лифт сломался'), ['в подъезде не убирают', 'лифт сломался']);
  t.deepEqual(segmentsOf('Яма на дороге у остановки кроме того не горят фонари во дворе'), [
    'Яма на дороге у остановки',
    'не горят фонари во дворе',
  ]);
});

test('"мало того что …, так ещё …" tells two troubles', (t) => {
  t.deepEqual(segmentsOf('Культуры 11 — мало того что света нет, так ещё крыша потекла'), ['Культуры 11 — мало того что света нет', 'крыша потекла']);
  t.deepEqual(segmentsOf('не только света нет, так ещё и'), ['не только света нет, так ещё и'], 'nothing after it');
});

test('numbered and bulleted lists split', (t) => {
  t.deepEqual(segmentsOf('Проблемы: 1) яма на дороге 2) не горят фонари 3) мусор не вывозят'), [
    'Проблемы',
    'яма на дороге',
    'не горят фонари',
    'мусор не вывозят',
  ]);
  t.deepEqual(segmentsOf('• нет воды • нет света'), ['нет воды', 'нет света']);
});

test('a connector between non-complaints or short lists of objects does not split', (t) => {
  t.deepEqual(segmentsOf('нет воды и света'), ['нет воды и света']);
  t.deepEqual(segmentsOf('воду дали, но она ржавая'), ['воду дали, но она ржавая']);
  t.deepEqual(segmentsOf('Вчера приезжала УК, а толку ноль'), ['Вчера приезжала УК, а толку ноль']);
});

test('a two-problem sentence becomes two problems with different categories', (t) => {
  const { doc, problems } = analyse('Во дворе дома 7 на ул. Бекетова не вывозят мусор, а на перекрёстке не работает светофор!!!');
  t.is(problems.length, 2);
  t.deepEqual(problems.map((p) => p.category), ['waste', 'roads']);
  t.deepEqual(problems.map((p) => p.index), [0, 1]);
  for (const p of problems) t.is(doc.clean.slice(p.span.start, p.span.end), p.text);
  t.deepEqual(problems[0]?.facts.addresses.map((a) => [a.street, a.house]), [['улица Бекетова', '7']]);
});

/** Problems of `text` with its segments classified as `categories`, one each, in order. */
const assembleAs = (t: ExecutionContext, text: string, categories: readonly string[]) => {
  const doc = toolkit.normalizer.normalize(text);
  const segments = toolkit.splitter.split(doc);
  t.is(segments.length, categories.length);
  const classifications = categories.map((category) => ({ isProblem: true, relevance: 0.9, category, confidence: 0.6, urgency: 'low' as const }));
  return assembleProblems(doc, segments, classifications, toolkit.extractor);
};

test('adjacent segments of one category merge, and fallback follow-ups join them', (t) => {
  const { doc, problems } = analyse('Нет горячей воды третий день. Батареи тоже холодные. Сколько можно?!');
  t.is(problems.length, 1);
  const p = problems[0];
  t.is(p?.category, 'housing');
  t.is(p?.span.start, 0);
  t.is(p?.span.end, doc.clean.length);
  t.deepEqual(p?.facts.dates.map((d) => d.text), ['третий день']);
});

test('a segment that names no trouble of its own goes on about the problem before it, whatever its category', (t) => {
  const assemble = (text: string, categories: readonly string[]) => assembleAs(t, text, categories);
  // The classifier read the list of streets as a road complaint: it is where the radiators are cold.
  const one = assemble('Автозавод, батареи ледяные с ночи! Мончегорская, Лескова — у всех так?', ['housing', 'roads']);
  t.is(one.length, 1);
  t.is(one[0]?.category, 'housing');
  t.true(one[0]?.text.endsWith('Мончегорская, Лескова — у всех так?'));
  // A second segment that names its own trouble is a second problem.
  const two = assemble('Автозавод, батареи ледяные с ночи! На Мончегорской яма на дороге, колесо пробил', ['housing', 'roads']);
  t.deepEqual(two.map((p) => p.category), ['housing', 'roads']);
});

test('two sentences on one trouble are one problem when the classifier was unsure of one; two sure ones, or a contrast in one sentence, stay two', (t) => {
  const assemble = (text: string, read: readonly (readonly [string, number])[]) => {
    const doc = toolkit.normalizer.normalize(text);
    const segments = toolkit.splitter.split(doc);
    t.is(segments.length, read.length);
    const classifications = read.map(([category, confidence]) => ({ isProblem: true, relevance: 0.9, category, confidence, urgency: 'low' as const }));
    return assembleProblems(doc, segments, classifications, toolkit.extractor).map((p) => p.category);
  };
  const dogs = 'Ну и где обещанный отлов? Вчера вечером опять эти собаки у пруда, штук 6.';
  t.deepEqual(assemble(dogs, [['social', 0.24], ['safety', 0.99]]), ['safety'], 'one trouble, the surer category');
  t.deepEqual(assemble(dogs, [['social', 0.9], ['safety', 0.99]]), ['social', 'safety'], 'both sure');
  t.deepEqual(assemble('Ну и где обещанный отлов? Лифт опять не работает.', [['social', 0.24], ['housing', 0.99]]), ['social', 'housing'], 'two troubles');
  t.deepEqual(assemble('В Нижнем уже топят, а у нас на Панфилова батареи холодные', [['housing', 0.3], ['energy', 0.9]]), ['housing', 'energy'], 'a contrast inside one sentence');
});

test('an opening that only names the place is where the next segment\'s trouble is; a reply that says "нет" is no such opening', (t) => {
  const assemble = (text: string, categories: readonly string[]) => assembleAs(t, text, categories);
  // The classifier read the address alone as a road complaint.
  const one = assemble('Мещерка, ул. Карла Маркса 56. Горячую воду отключили 10 августа, срок прошёл неделю назад', ['roads', 'housing']);
  t.deepEqual(one.map((p) => p.category), ['housing']);
  t.is(one[0]?.span.start, 0);
  t.deepEqual(one[0]?.facts.addresses.map((a) => a.house), ['56']);
  // "Юбилейная нет." in an outage thread is a reply of its own, not the traffic lights' place.
  const reply = assemble('Юбилейная нет. Светофоры на перекрестке у рынка тоже не работают', ['energy', 'roads']);
  t.deepEqual(reply.map((p) => p.category), ['energy', 'roads']);
});

test('a problem without its own address borrows the post-level one', (t) => {
  const { problems } = analyse('Пишу из Дзержинска, ул. Гагарина 12.\nТретий день нет воды!\nИ света тоже нет, сколько можно');
  t.true(problems.length >= 1);
  for (const p of problems) {
    t.deepEqual(p.facts.addresses.map((a) => a.street), ['улица Гагарина']);
    t.deepEqual(p.facts.locations.map((l) => l.municipality), ['Дзержинск']);
  }
});

test('posts without problems give no problems', (t) => {
  t.deepEqual(analyse('Продам гараж, недорого').problems, []);
  t.deepEqual(analyse('').problems, []);
});
