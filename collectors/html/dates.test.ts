import test from 'ava';
import { localParts, parseFeedDate, parsePageDate } from './dates.js';
import { htmlToText } from './text.js';
import { normaliseUrl, pageBase } from './urls.js';

test('feed dates: RFC 822 with the quirks of Russian CMSes', (t) => {
  t.is(parseFeedDate('Sat, 21 Nov 2026 14:05:00 +0300'), '2026-11-21T11:05:00.000Z');
  t.is(parseFeedDate('Сб, 21 ноя 2026 09:30:00 +0300'), '2026-11-21T06:30:00.000Z');
  t.is(parseFeedDate('Суббота, 21 ноября 2026 09:30 +03:00'), '2026-11-21T06:30:00.000Z');
  t.is(parseFeedDate('21 Nov 2026 08:15 GMT+3'), '2026-11-21T05:15:00.000Z');
  t.is(parseFeedDate('Fri, 20 Nov 2026 18:40:00 MSK'), '2026-11-20T15:40:00.000Z');
  t.is(parseFeedDate('Fri, 20 Nov 2026 18:40:00 GMT'), '2026-11-20T18:40:00.000Z');
  t.is(parseFeedDate('fri, 20 nov 26 18:40:00 +0000'), '2026-11-20T18:40:00.000Z');
  // No zone: local time of the source (Moscow by default).
  t.is(parseFeedDate('Fri, 20 Nov 2026 18:40:00'), '2026-11-20T15:40:00.000Z');
  t.is(parseFeedDate('Fri, 20 Nov 2026 18:40:00', 'Asia/Yekaterinburg'), '2026-11-20T13:40:00.000Z');
  t.is(parseFeedDate('1 мая 2026 10:00:00 +0300'), '2026-05-01T07:00:00.000Z');
  t.is(parseFeedDate('5 Mar 2026 10:00:00 +0300'), '2026-03-05T07:00:00.000Z');
});

test('feed dates: ISO 8601 (Atom, dc:date)', (t) => {
  t.is(parseFeedDate('2026-11-21T11:20:00+03:00'), '2026-11-21T08:20:00.000Z');
  t.is(parseFeedDate('2026-11-21T06:05:00Z'), '2026-11-21T06:05:00.000Z');
  t.is(parseFeedDate('2026-11-21T06:05:00.123+0300'), '2026-11-21T03:05:00.000Z');
  t.is(parseFeedDate('2026-11-21 14:05:00'), '2026-11-21T11:05:00.000Z');
});

test('feed dates: unreadable or impossible dates are undefined, not guessed', (t) => {
  t.is(parseFeedDate(undefined), undefined);
  t.is(parseFeedDate(''), undefined);
  t.is(parseFeedDate('позавчера вечером'), undefined);
  t.is(parseFeedDate('Sat, 31 Feb 2026 10:00:00 +0300'), undefined);
  t.is(parseFeedDate('Sat, 21 Foo 2026 10:00:00 +0300'), undefined);
  t.is(parseFeedDate('Sat, 21 Nov 2026 25:00:00 +0300'), undefined);
});

const now = new Date('2026-11-22T09:30:00Z'); // 12:30 in Moscow

test('page dates: dd.mm.yyyy with and without time, either order', (t) => {
  t.is(parsePageDate('21.11.2026 09:30', { now }), '2026-11-21T06:30:00.000Z');
  t.is(parsePageDate('21.11.2026', { now }), '2026-11-20T21:00:00.000Z');
  t.is(parsePageDate('14:05 21.11.2026', { now }), '2026-11-21T11:05:00.000Z');
  t.is(parsePageDate('21.11.26, 14:05', { now }), '2026-11-21T11:05:00.000Z');
  t.is(parsePageDate('31.02.2026', { now }), undefined);
});

test('page dates: Russian month names, with and without a year', (t) => {
  t.is(parsePageDate('21 ноября 2026, 14:05', { now }), '2026-11-21T11:05:00.000Z');
  t.is(parsePageDate('21 ноября 2026 г. в 14:05', { now }), '2026-11-21T11:05:00.000Z');
  t.is(parsePageDate('Опубликовано: 3 мая 2026', { now }), '2026-05-02T21:00:00.000Z');
  t.is(parsePageDate('21 ноября, 14:05', { now }), '2026-11-21T11:05:00.000Z');
  // "30 декабря" seen on 22 November is last year's December.
  t.is(parsePageDate('30 декабря, 10:00', { now }), '2025-12-30T07:00:00.000Z');
});

test('page dates: relative dates against the fetch time in the configured zone', (t) => {
  t.is(parsePageDate('сегодня, 14:05', { now }), '2026-11-22T11:05:00.000Z');
  t.is(parsePageDate('Вчера в 18:40', { now }), '2026-11-21T15:40:00.000Z');
  t.is(parsePageDate('вчера', { now }), '2026-11-20T21:00:00.000Z');
  t.is(parsePageDate('позавчера, 23:10', { now }), '2026-11-20T20:10:00.000Z');
  t.is(parsePageDate('2 часа назад', { now }), '2026-11-22T07:30:00.000Z');
  t.is(parsePageDate('15 минут назад', { now }), '2026-11-22T09:15:00.000Z');
  t.is(parsePageDate('только что', { now }), '2026-11-22T09:30:00.000Z');
  // 00:30 UTC is already 03:30 on the next day in Moscow: "сегодня" is Moscow's today.
  const lateUtc = new Date('2026-11-21T22:30:00Z');
  t.is(parsePageDate('сегодня, 01:15', { now: lateUtc }), '2026-11-21T22:15:00.000Z');
  t.is(parsePageDate('сегодня, 01:15', { now: lateUtc, timeZone: 'Europe/London' }), '2026-11-21T01:15:00.000Z');
});

test('page dates: ISO and the format hint', (t) => {
  t.is(parsePageDate('2026-11-22T09:15:00+03:00', { now }), '2026-11-22T06:15:00.000Z');
  t.is(parsePageDate('2026-11-22T09:15:00+03:00', { now, format: 'dmy' }), undefined);
  t.is(parsePageDate('21.11.2026 09:30', { now, format: 'ru' }), undefined);
  t.is(parsePageDate('вчера, 18:40', { now, format: 'ru' }), '2026-11-21T15:40:00.000Z');
  t.is(parsePageDate('нет даты', { now }), undefined);
});

test('localParts gives wall-clock time in the zone', (t) => {
  t.like(localParts(Date.parse('2026-11-21T22:30:00Z'), 'Europe/Moscow'), { year: 2026, month: 11, day: 22, hour: 1, minute: 30 });
});

test('htmlToText keeps line breaks, drops scripts, decodes entities', (t) => {
  t.is(htmlToText('<p>Первый&nbsp;абзац</p><p>Второй<br/>строка  два</p><script>x()</script><ul><li>а<li>б</ul>'), 'Первый абзац\nВторой\nстрока два\nа\nб');
  t.is(htmlToText('Простой текст: t < 0 &amp; снег'), 'Простой текст: t < 0 & снег');
  t.is(htmlToText('  \n  '), '');
});

test('article URLs are normalised into stable ids', (t) => {
  t.is(normaliseUrl('/news/1.html?utm_source=vk&id=5#comments', 'https://dzr.example/list/'), 'https://dzr.example/news/1.html?id=5');
  t.is(normaliseUrl('b/3.html', 'https://DZR.example/news/'), 'https://dzr.example/news/b/3.html');
  t.is(normaliseUrl('javascript:void(0)', 'https://dzr.example/'), undefined);
  t.is(normaliseUrl('ftp://dzr.example/file', 'https://dzr.example/'), undefined);
  t.is(normaliseUrl('  ', 'https://dzr.example/'), undefined);
});

test('pageBase undoes the base class query redaction where it safely can', (t) => {
  t.is(pageBase('https://dzr.example/news/?page=2', 'https://dzr.example/news/?…'), 'https://dzr.example/news/?page=2');
  t.is(pageBase('https://dzr.example/news?page=2', 'https://dzr.example/news/?…'), 'https://dzr.example/news/');
  t.is(pageBase('https://dzr.example/news', 'https://dzr.example/news/'), 'https://dzr.example/news/');
  t.is(normaliseUrl('?page=3', pageBase('https://dzr.example/news/?page=2', 'https://dzr.example/news/?…')), 'https://dzr.example/news/?page=3');
});
