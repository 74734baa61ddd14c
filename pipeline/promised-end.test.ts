import test from 'ava';
import { extractDates } from '../nlp/facts/dates.js';
import { promisedEnd, promisedEndMs } from './promised-end.js';

const end = (text: string, postedAt: string): string | null => promisedEnd(extractDates(text), text, Date.parse(postedAt));

test('the day a report promises an outage will end, in the year the post was written', (t) => {
  t.is(end('Горячую воду вернут не раньше 8 сентября', '2026-09-02T12:10:00Z'), '2026-09-08');
  t.is(end('возобновление горячего водоснабжения переносится на 4-го сентября', '2026-09-01T09:00:00Z'), '2026-09-04');
  t.is(end('подачу восстановят к 10.01', '2026-12-30T09:00:00Z'), '2027-01-10', 'a January day written in December is next year');
  t.is(end('отключили 10 августа на 14 дней, обещали до 5 сентября, теперь до 8 сентября', '2026-09-01T05:00:00Z'), '2026-09-08', 'the latest day promised');
});

test('no promise: a day already past, when it began, or a plan weeks off', (t) => {
  t.is(end('Горячую воду отключили 10 августа «на 14 дней»', '2026-09-01T05:00:00Z'), null);
  t.is(end('с 4 сентября отключат горячую воду', '2026-09-01T05:00:00Z'), null);
  t.is(end('ремонт теплотрассы продлится до 30 октября', '2026-09-01T05:00:00Z'), null);
  t.is(end('горячей нет с утра', '2026-09-01T05:00:00Z'), null);
});

test('an until: key ends with its day', (t) => {
  t.is(new Date(promisedEndMs('until:2026-09-08')).toISOString(), '2026-09-09T00:00:00.000Z');
});
