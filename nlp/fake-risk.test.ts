import test from 'ava';
import { createBaselineToolkit } from './index.js';
import type { PropagationSignals } from './contract.js';

const toolkit = createBaselineToolkit();
const single: PropagationSignals = { storySize: 1, storySources: 1, storySpanHours: 0 };
const score = (text: string, signals = single) => toolkit.fakeRisk.score(toolkit.normalizer.normalize(text), signals);

test('an ordinary complaint is low risk with no reasons', (t) => {
  const r = score('Третий день нет горячей воды на ул. Ленина 5, УК не отвечает');
  t.is(r.level, 'low');
  t.true(r.score < 0.4);
  t.deepEqual(r.reasons, []);
});

test('a classic chain message is high risk; reasons are Russian, strongest first', (t) => {
  const r = score('СРОЧНО ПЕРЕШЛИТЕ ВСЕМ!!! Мне знакомый врач сказал что в водопроводе холера, 300 человек в больнице, власти скрывают, СМИ молчат');
  t.is(r.level, 'high');
  t.true(r.score >= 0.7 && r.score <= 1);
  t.is(r.reasons[0], 'Призыв срочно распространить сообщение');
  t.true(r.reasons.includes('Ссылка на неназванного «знакомого» или инсайдера'));
  t.true(r.reasons.includes('Утверждение, что власти или СМИ скрывают информацию'));
  t.true(r.reasons.includes('Цифры без указания источника'));
});

test('rumours become medium when the story spreads fast', (t) => {
  const calm = score('Говорят, в чате пишут, что завтра во всём районе отключат воду на месяц');
  const viral = score('Говорят, в чате пишут, что завтра во всём районе отключат воду на месяц', {
    storySize: 40,
    storySources: 16,
    storySpanHours: 2,
  });
  t.true(viral.score > calm.score);
  t.is(viral.level, 'medium');
  t.true(viral.reasons.some((r) => r.startsWith('Быстрое распространение')));
  t.true(viral.reasons.includes('Ссылка на непроверяемые источники (слухи, чаты)'));
});

test('spread alone does not make a real outage suspicious', (t) => {
  const r = score('Нет света на Автозаводе', { storySize: 30, storySources: 12, storySpanHours: 1 });
  t.is(r.level, 'low');
});

test('an official source lowers risk', (t) => {
  const withSource = score('По данным МЧС, пострадали 12 человек, срочно');
  const without = score('Пострадали 12 человек, срочно');
  t.true(withSource.score < without.score);
});

test('empty text does not throw', (t) => {
  t.is(score('').level, 'low');
});
