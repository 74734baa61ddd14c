import test from 'ava';
import type { SegmentClassification } from './contract.js';
import { createBaselineToolkit } from './index.js';
import { urgencyOf } from './urgency.js';

const toolkit = createBaselineToolkit();

/** Classifies the whole text as one segment. */
const whole = (text: string): SegmentClassification => {
  const doc = toolkit.normalizer.normalize(text);
  const [c] = toolkit.classifier.classify(doc, [{ text: doc.clean, span: { start: 0, end: doc.clean.length } }]);
  if (!c) throw new Error('no classification');
  return c;
};

const problems: ReadonlyArray<readonly [string, string]> = [
  ['третий день нет горячей воды в доме', 'housing'],
  ['лифт не работает уже неделю, бабушки пешком на 9 этаж', 'housing'],
  ['мусор не вывозят, баки переполнены', 'waste'],
  ['на дороге огромная яма, колесо пробил', 'roads'],
  ['не работает светофор на перекрестке', 'roads'],
  ['во дворе не горят фонари, темно страшно ходить', 'urban'],
  ['автобус 45 не ходит уже час', 'transport'],
  ['в поликлинике невозможно записаться к врачу', 'health'],
  ['в школе холодно дети сидят в куртках', 'education'],
  ['пенсию не начислили второй месяц', 'social'],
  ['нет света во всем квартале', 'energy'],
  ['завод опять дымит, дышать невозможно', 'ecology'],
  ['стая бродячих собак бросается на детей', 'safety'],
  ['Нeт вoды!!! кoгда дадут', 'housing'],
  ['сколько можно, когда уберут мусор', 'waste'],
];

for (const [text, category] of problems) {
  test(`problem → ${category}: ${text}`, (t) => {
    const c = whole(text);
    t.true(c.isProblem, `relevance ${c.relevance}`);
    t.is(c.category, category);
    t.true(c.relevance >= 0.5 && c.relevance <= 1);
    t.true(c.confidence > 0 && c.confidence <= 1);
  });
}

const notProblems = [
  'Продам гараж в Сормово, недорого, звоните',
  'Спасибо водоканалу за оперативно устраненную аварию!',
  'Всем привет! Доброе утро, Нижний!',
  'С праздником, дорогие земляки!',
  'В Канавинском районе завершен ремонт дороги по нацпроекту',
  'Пресс-служба администрации сообщает: в субботу состоится фестиваль',
  'светофор на перекрестке',
  '',
];

for (const text of notProblems) {
  test(`not a problem: ${text || '(empty)'}`, (t) => {
    const c = whole(text);
    t.false(c.isProblem, `relevance ${c.relevance}`);
    t.true(c.relevance < 0.5 && c.relevance >= 0);
    t.is(c.urgency, 'low');
  });
}

test('"не починили" is a complaint even though "починили" alone reads as thanks', (t) => {
  t.true(whole('до сих пор не починили трубу в подвале').isProblem);
});

const urgency: ReadonlyArray<readonly [string, 'low' | 'medium' | 'high']> = [
  ['открытый люк во дворе, дети бегают рядом', 'high'],
  ['висят оборванные провода прямо над тротуаром', 'high'],
  ['нет отопления, на улице -25, дети мерзнут', 'high'],
  ['нет отопления, мороз, батареи ледяные', 'high'],
  ['с крыши свисают огромные сосульки, ходить страшно', 'high'],
  ['в подъезде сильный запах газа!!!', 'high'],
  ['горит мусорка во дворе, дым валит, пожар', 'high'],
  ['ДТП на перекрестке, не работает светофор', 'high'],
  ['нет отопления в квартире', 'medium'],
  ['нет воды с утра', 'medium'],
  ['не горит фонарь у подъезда', 'medium'],
  ['мусор не вывозят неделю', 'low'],
  ['яма на дороге у остановки, когда заделают', 'low'],
];

for (const [text, level] of urgency) {
  test(`urgency ${level}: ${text}`, (t) => {
    const c = whole(text);
    t.true(c.isProblem);
    t.is(c.urgency, level);
  });
}

test('urgency: a light or a flame that burns is no fire, and look-alike words are no emergency', (t) => {
  const level = (text: string) => {
    const doc = toolkit.normalizer.normalize(text);
    return urgencyOf(doc, 0, doc.tokens.length);
  };
  for (const text of ['на перекрёстке светофор горит красным и зелёным сразу', 'газ еле горит, конфорка тухнет', 'в травмпункте очередь три часа', 'эвакуаторов нет, машины стоят в два ряда']) {
    t.not(level(text), 'high', text);
  }
  for (const text of ['горит сарай во дворе', 'горит газопровод у дома', 'ребёнок получил травму на площадке', 'объявили эвакуацию школы']) {
    t.is(level(text), 'high', text);
  }
});

test('a custom taxonomy restricts categories and falls back', (t) => {
  const custom = createBaselineToolkit({ taxonomy: { categories: [{ id: 'roads', label: 'Дороги' }, { id: 'misc', label: 'Разное' }], fallback: 'misc' } });
  const doc = custom.normalizer.normalize('нет горячей воды, сколько можно');
  const [c] = custom.classifier.classify(doc, [{ text: doc.clean, span: { start: 0, end: doc.clean.length } }]);
  t.is(c?.category, 'misc');
  t.true(c?.isProblem);
});
