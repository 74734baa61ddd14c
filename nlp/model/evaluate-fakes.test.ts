import test from 'ava';
import { createBaselineToolkit } from '../index.js';
import { evaluateFakes, rocAuc } from './evaluate-fakes.js';

test('ROC AUC: perfect, inverted, random-like and tied rankings', (t) => {
  const s = (score: number, positive: boolean) => ({ score, positive });
  t.is(rocAuc([s(0.9, true), s(0.8, true), s(0.2, false), s(0.1, false)]), 1);
  t.is(rocAuc([s(0.1, true), s(0.2, true), s(0.8, false), s(0.9, false)]), 0);
  t.is(rocAuc([s(0.5, true), s(0.5, false)]), 0.5);
  t.is(rocAuc([s(0.9, true), s(0.4, false), s(0.6, true), s(0.7, false)]), 0.75);
  t.is(rocAuc([s(0.3, true)]), 0.5, 'no negatives: undefined, reported as chance');
});

test('fake evaluation scores our own examples and reports the high level', (t) => {
  const report = evaluateFakes(
    [
      { id: '1', text: 'СРОЧНО ПЕРЕШЛИТЕ ВСЕМ!!! Знакомый врач сказал, что в водопроводе холера, власти скрывают!!!', label: 'fake' },
      { id: '2', text: 'По данным Водоканала, вода на улице Ленина отключена до 18:00 из-за ремонта трубы.', label: 'ordinary' },
      { id: '3', text: 'Говорят, завтра отключат интернет во всём городе, в чате пишут, СМИ молчат', label: 'fake' },
      { id: '4', text: 'Третий день нет горячей воды на Белинского 32, УК не отвечает', label: 'ordinary' },
    ],
    createBaselineToolkit(),
  );
  t.is(report.posts, 4);
  t.is(report.rocAuc, 1);
  t.true(report.medium.recall > 0);
});
