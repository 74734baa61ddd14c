import { readdirSync } from 'node:fs';
import test, { type ExecutionContext } from 'ava';
import { createLogger, silentLogger, type Logger } from '../../core/logger.js';
import { CollectorError } from '../base/errors.js';
import { fixture, testHttpSettings, testQueues, withServer, type Reply, type Routes } from '../base/test-server.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectOutcome } from '../types.js';
import { createHtmlCollector, htmlSourceSchema, maxArticleAttempts, type HtmlCursor } from './index.js';

const deps = (logger: Logger = silentLogger): CollectorDeps => ({ http: testHttpSettings, queues: testQueues(), env: {}, logger });

const selectors = { item: '.news-list .news-item', link: 'a.news-item__link', title: '.news-item__title', date: '.news-item__date, .article__date', body: '.article__text' };

const source = (base: string, extra: Record<string, unknown> = {}) =>
  htmlSourceSchema.parse({ id: 'dzr-online', type: 'html', listUrl: `${base}/news/`, selectors, nextPage: '.pager a.pager__next', ...extra });

const collect = (base: string, cursor: HtmlCursor | null = null, extra: Record<string, unknown> = {}, logger: Logger = silentLogger): Promise<CollectOutcome<HtmlCursor>> =>
  createHtmlCollector(source(base, extra), deps(logger)).collect({ cursor, logger });

const page = (path: string, contentType = 'text/html; charset=utf-8'): Reply => ({ body: fixture(path), headers: { 'content-type': contentType } });

const articles: Routes = Object.fromEntries(
  readdirSync(new URL('../../fixtures/html/articles/', import.meta.url)).map((file) => [`/news/${file}`, page(`html/articles/${file}`)]),
);

const site = (firstPage: Routes[string] = page('html/list-1.html')): Routes => ({
  ...articles,
  '/news/': firstPage,
  '/news/?page=2': page('html/list-2.html'),
  '/news/?page=3': page('html/list-3.html'),
});

const capture = (): { logger: Logger; lines: Array<Record<string, unknown>> } => {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), lines };
};

const rejectsWith = async (t: ExecutionContext, promise: Promise<unknown>, code: CollectorError['code']): Promise<CollectorError> => {
  const error = await t.throwsAsync(promise, { instanceOf: CollectorError });
  t.is(error?.code, code, error?.message);
  return error as CollectorError;
};

const slug = (url: string | undefined): string => url?.replace(/^.*\/news\//, '').replace(/\.html$/, '') ?? '';

/** Today's date in Moscow, for "сегодня, 08:40" on the list page. */
const moscowToday = (): string => new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 10);
const moscowTime = (date: string, hhmm: string): string => new Date(`${date}T${hhmm}:00+03:00`).toISOString();

test('HTML: a full pass follows pagination up to maxPages and fetches every article', withServer, site(), async (t, server) => {
  const { items, skipped, cursor } = await collect(server.url);
  t.deepEqual(skipped, []);
  t.deepEqual(items.map((item) => slug(item.input.id)), [
    '2026-11-22-remont-lenina',
    '2026-11-22-otklyuchenie-gaza',
    '2026-11-21-avariya-vodoprovod',
    '2026-11-21-zhaloba-avtobus',
    '2026-11-20-yamy-kirova',
    '2026-11-20-musor-chkalova',
    '2026-11-19-svet-gagarina',
    '2026-11-19-most-oka',
    '2026-11-18-teplo-tsiolkovskogo',
  ]);
  t.deepEqual(
    server.requests.filter((path) => !path.endsWith('.html')),
    ['/news/', '/news/?page=2', '/news/?page=3'],
    'page 4 is past maxPages',
  );
  t.false(server.requests.includes('/news/popular.html'), 'links outside the item selector are not collected');
  const [lenina, gas, water, bus, , , lights] = items.map((item) => item.input);
  t.deepEqual(lenina, {
    id: `${server.url}/news/2026-11-22-remont-lenina.html`,
    text:
      'На проспекте Ленина начался ремонт\n\n' +
      'Дорожники начали фрезеровать старый асфальт на проспекте Ленина между улицами Гагарина и Октябрьской.\n' +
      'Работы ведут ночью, с 22:00 до 6:00. Парковка вдоль проезжей части временно запрещена.',
    source: 'dzr-online',
    url: `${server.url}/news/2026-11-22-remont-lenina.html`,
    author: 'Ольга Белова',
    published_at: '2026-11-22T06:15:00.000Z',
  });
  t.is(gas?.published_at, moscowTime(moscowToday(), '08:40'));
  // The list link carries utm_source and #comments; the id is the clean URL.
  t.is(water?.id, `${server.url}/news/2026-11-21-avariya-vodoprovod.html`);
  t.is(water?.published_at, '2026-11-21T11:05:00.000Z');
  t.is(bus?.published_at, '2026-11-21T06:30:00.000Z');
  t.is(lights?.published_at, '2026-11-18T21:00:00.000Z');
  const raw = items[0]?.raw as { listItemHtml: string; extracted: { title: string; dateText: string }; article: { bodyHtml: string; charsetFallback: boolean } };
  t.true(raw.listItemHtml.startsWith('<li class="news-item">'));
  t.deepEqual(raw.extracted, { url: lenina?.url, title: 'На проспекте Ленина начался ремонт', dateText: '2026-11-22T09:15:00+03:00' });
  t.true(raw.article.bodyHtml.startsWith('<div class="article__text">'));
  t.false(raw.article.charsetFallback);
  t.is(cursor.seen.length, 9);
  t.deepEqual(cursor.attempts, {});
  t.false(cursor.backlog);
});

test('HTML: a second pass fetches only new articles and stops paging at known ones', withServer, site([page('html/list-1.html'), page('html/list-1-updated.html')]), async (t, server) => {
  const first = await collect(server.url);
  const before = server.requests.length;
  const second = await collect(server.url, first.cursor);
  t.deepEqual(second.items.map((item) => slug(item.input.id)), ['2026-11-22-snegopad', '2026-11-22-lift-shkolnaya']);
  t.deepEqual(server.requests.slice(before), ['/news/', '/news/2026-11-22-snegopad.html', '/news/2026-11-22-lift-shkolnaya.html']);
  t.is(second.items[0]?.input.published_at, moscowTime(moscowToday(), '11:20'));
  const yesterday = new Date(Date.parse(`${moscowToday()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  t.is(second.items[1]?.input.published_at, moscowTime(yesterday, '18:40'));
  t.is(second.cursor.seen.length, 11);
  t.deepEqual(second.cursor.seen.slice(0, 2), second.items.map((item) => item.input.id));
});

test('HTML: a restart resumes from the stored cursor', withServer, site([page('html/list-1.html'), page('html/list-1-updated.html')]), async (t, server) => {
  const first = await collect(server.url);
  const restarted = createHtmlCollector(source(server.url), deps());
  const cursor = restarted.parseCursor(JSON.parse(JSON.stringify(first.cursor)));
  t.deepEqual(cursor, first.cursor);
  const next = await restarted.collect({ cursor, logger: silentLogger });
  t.deepEqual(next.items.map((item) => slug(item.input.id)), ['2026-11-22-snegopad', '2026-11-22-lift-shkolnaya']);
  t.is(restarted.parseCursor({ seen: [1, 2] }), null);
  t.deepEqual(restarted.parseCursor({ seen: ['a'] }), { seen: ['a'], attempts: {}, backlog: false });
});

test('HTML: maxArticles bounds a pass; the backlog is fetched on the next passes (backfill)', withServer, site(), async (t, server) => {
  const first = await collect(server.url, null, { maxArticles: 5 });
  t.is(first.items.length, 5);
  t.true(first.cursor.backlog);
  const second = await collect(server.url, first.cursor, { maxArticles: 5 });
  t.deepEqual(second.items.map((item) => slug(item.input.id)), ['2026-11-20-musor-chkalova', '2026-11-19-svet-gagarina', '2026-11-19-most-oka', '2026-11-18-teplo-tsiolkovskogo']);
  t.false(second.cursor.backlog);
  const before = server.requests.length;
  const third = await collect(server.url, second.cursor, { maxArticles: 5 });
  t.deepEqual(third.items, []);
  t.deepEqual(server.requests.slice(before), ['/news/']);
});

test(
  'HTML: broken markup — what is there is extracted, items without a link are skipped, a 404 article is retried then kept with its title',
  withServer,
  {
    '/news/': page('html/broken-list.html'),
    '/news/b/1.html': page('html/b/1.html'),
    '/news/b/3.html': page('html/b/3.html'),
    '/news/b/5.html': page('html/b/5.html'),
  },
  async (t, server) => {
    const { logger, lines } = capture();
    const run = (cursor: HtmlCursor | null) => collect(server.url, cursor, { nextPage: undefined }, logger);
    const first = await run(null);
    t.deepEqual(first.items.map((item) => slug(item.input.id)), ['b/1', 'b/3', 'b/5']);
    const [heating, balcony, leak] = first.items.map((item) => item.input);
    t.is(
      heating?.text,
      'Ремонт теплотрассы на улице Грибоедова\n\n' +
        'Во дворе дома 18 на улице Грибоедова вторую неделю открыта траншея.\n' +
        'Жители жалуются, что ограждения нет, а дети ходят в школу мимо ямы.\n' +
        'В «Теплоэнерго» обещают закопать траншею до 1 декабря.',
    );
    t.is(heating?.published_at, '2026-11-21T07:00:00.000Z');
    // No title element in the item: the link text; no date in the item: the article page's.
    t.true(balcony?.text.startsWith('Обрушение балкона на Октябрьской\n\nВ доме 27'));
    t.is(balcony?.published_at, '2026-11-20T18:30:00.000Z');
    // The body selector matches nothing (new layout): kept with its title, and logged.
    t.is(leak?.text, 'Протечка в подъезде на Строителей, 9');
    t.true(lines.some((line) => line.msg === 'html article body not found' && String(line.url).endsWith('/b/5.html')));
    t.deepEqual(first.skipped.map((s) => s.reason), ['no-link', 'bad-link', 'article-unavailable']);
    t.regex(first.skipped[2]?.detail ?? '', /b\/4\.html: ERR_SOURCE_GONE \(attempt 1 of 3, retried next pass\)/);
    t.true(lines.some((line) => line.msg === 'html article skipped' && line.code === 'ERR_SOURCE_GONE'));
    const gone = `${server.url}/news/b/4.html`;
    t.false(first.cursor.seen.includes(gone), 'a failed article is not marked seen');
    t.deepEqual(first.cursor.attempts, { [gone]: 1 });

    const second = await run(first.cursor);
    t.deepEqual(second.items, []);
    t.deepEqual(second.cursor.attempts, { [gone]: 2 });
    t.is(server.requests.filter((path) => path === '/news/b/4.html').length, 2);
    t.is(server.requests.filter((path) => path === '/news/b/1.html').length, 1, 'collected articles are not fetched again');

    const third = await run(second.cursor);
    t.is(maxArticleAttempts, 3);
    t.deepEqual(third.items.map((item) => item.input.text), ['Статья, которую удалили']);
    t.is(third.items[0]?.input.published_at, '2026-11-20T14:00:00.000Z');
    t.like(third.items[0]?.raw, { article: { error: 'ERR_SOURCE_GONE', status: 404 } });
    t.deepEqual(third.cursor.attempts, {});
    t.true(third.cursor.seen.includes(gone));

    await run(third.cursor);
    t.is(server.requests.filter((path) => path === '/news/b/4.html').length, 3);
  },
);

test('HTML: a captcha on the first article fails the pass with ERR_CAPTCHA', withServer, { ...site(), '/news/2026-11-22-remont-lenina.html': page('html/captcha.html') }, async (t, server) => {
  await rejectsWith(t, collect(server.url, null, { nextPage: undefined }), 'ERR_CAPTCHA');
});

test(
  'HTML: a login wall mid-pass ends the pass with what it has; the rest comes next pass',
  withServer,
  { ...site(), '/news/2026-11-22-otklyuchenie-gaza.html': [page('html/login.html'), page('html/articles/2026-11-22-otklyuchenie-gaza.html')] },
  async (t, server) => {
    const first = await collect(server.url, null, { nextPage: undefined });
    t.deepEqual(first.items.map((item) => slug(item.input.id)), ['2026-11-22-remont-lenina']);
    t.deepEqual(first.skipped, []);
    t.true(first.cursor.backlog);
    t.is(server.requests.filter((path) => path.includes('zhaloba-avtobus')).length, 0, 'no article requests after the wall');
    const second = await collect(server.url, first.cursor, { nextPage: undefined });
    t.deepEqual(second.items.map((item) => slug(item.input.id)), ['2026-11-22-otklyuchenie-gaza', '2026-11-21-avariya-vodoprovod', '2026-11-21-zhaloba-avtobus']);
    t.false(second.cursor.backlog);
  },
);

test('HTML: a failing second list page shortens the pass instead of failing it', withServer, { ...site(), '/news/?page=2': { status: 500, body: 'oops' } }, async (t, server) => {
  const { items } = await collect(server.url);
  t.is(items.length, 4);
});

test(
  'HTML: windows-1251 pages declared only in <meta>, only in the HTTP header, only in http-equiv, and mislabelled UTF-8',
  withServer,
  {
    '/old/': page('html/cp1251-list.html', 'text/html'),
    '/cp/header.html': page('html/cp1251-article-header.html', 'text/html; charset=windows-1251'),
    '/cp/lying.html': page('html/cp1251-article-lying.html', 'text/html; charset=utf-8'),
    '/cp/http-equiv.html': page('html/cp1251-article-http-equiv.html', 'text/html'),
  },
  async (t, server) => {
    t.true(fixture('html/cp1251-list.html').includes(Buffer.from([0xcd, 0xee, 0xe2, 0xee, 0xf1, 0xf2, 0xe8])), 'the fixture is stored as cp1251 bytes ("Новости")');
    const { logger, lines } = capture();
    const { items, skipped } = await collect(server.url, null, { listUrl: `${server.url}/old/`, selectors: { item: 'tr.news-row', link: 'a.news-link', date: 'td.news-date', body: '.article__text' } }, logger);
    t.deepEqual(skipped, []);
    t.deepEqual(items.map((item) => item.input.text.split('\n')[0]), [
      'Вода в Игумнове: отключение до вечера',
      'Гололёд на Пушкинской: жители просят посыпать тротуары',
      'Ремонт дороги на улице Петрищева завершён',
    ]);
    t.true(items[0]?.input.text.includes('«Водоканал» меняет задвижку'));
    t.true(items[1]?.input.text.includes('Ещё одна жительница сломала руку — её увезла «скорая».'));
    t.true(items[2]?.input.text.includes('Гарантийный срок — четыре года.'));
    t.false(items.some((item) => item.input.text.includes('\uFFFD')));
    t.is(items[1]?.input.published_at, '2026-11-22T04:10:00.000Z');
    t.deepEqual(items.map((item) => (item.raw as { article: { charsetFallback: boolean } }).article.charsetFallback), [false, true, false]);
    t.true(lines.some((line) => line.msg === 'html page charset mislabelled' && String(line.url).endsWith('/cp/lying.html')));
  },
);

test(
  'HTML: a windows-1251 page that declares no charset at all is still read correctly',
  withServer,
  { '/old/': page('html/cp1251-list.html', 'text/html'), '/cp/header.html': page('html/cp1251-article-header.html', 'text/html'), '/cp/lying.html': page('html/cp1251-article-lying.html', 'text/html') },
  async (t, server) => {
    const { items } = await collect(server.url, null, { listUrl: `${server.url}/old/`, selectors: { item: 'tr.news-row', link: 'a.news-link', body: '.article__text' } });
    t.is(items.length, 2);
    t.true(items[0]?.input.text.includes('Цистерна с питьевой водой стоит у магазина на улице Ленина.'));
    t.true(items[1]?.input.text.includes('Гололёд'));
  },
);

const statusCases: ReadonlyArray<[number, CollectorError['code']]> = [
  [403, 'ERR_ACCESS_DENIED'],
  [404, 'ERR_SOURCE_GONE'],
  [410, 'ERR_SOURCE_GONE'],
  [500, 'ERR_HTTP_STATUS'],
  [502, 'ERR_HTTP_STATUS'],
  [429, 'ERR_RATE_LIMITED'],
];

for (const [status, code] of statusCases) {
  test(`HTML: the list page answering ${status} is ${code}`, withServer, { ...articles, '/news/': { status, body: 'Ошибка' } }, async (t, server) => {
    await rejectsWith(t, collect(server.url), code);
    t.false(server.requests.some((path) => path.endsWith('.html')), 'no article is fetched');
  });
}

test('HTML: a captcha page instead of the list is ERR_CAPTCHA', withServer, { '/news/': page('html/captcha.html') }, async (t, server) => {
  await rejectsWith(t, collect(server.url), 'ERR_CAPTCHA');
});

test('HTML: a 403 with a captcha is ERR_CAPTCHA, not ERR_ACCESS_DENIED', withServer, { '/news/': { ...page('html/captcha.html'), status: 403 } }, async (t, server) => {
  await rejectsWith(t, collect(server.url), 'ERR_CAPTCHA');
});

test('HTML: a login wall instead of the list is ERR_LOGIN_WALL', withServer, { '/news/': page('html/login.html') }, async (t, server) => {
  const error = await rejectsWith(t, collect(server.url), 'ERR_LOGIN_WALL');
  t.is(error.disposition, 'skip-source');
});

test('HTML: a list page that never answers is ERR_TIMEOUT', withServer, { '/news/': { ...page('html/list-1.html'), delayMs: testHttpSettings.timeoutMs + 500 } }, async (t, server) => {
  await rejectsWith(t, collect(server.url), 'ERR_TIMEOUT');
});

test('HTML: a list page cut off in transfer is ERR_TRUNCATED', withServer, { '/news/': { ...page('html/list-1.html'), truncate: true } }, async (t, server) => {
  await rejectsWith(t, collect(server.url), 'ERR_TRUNCATED');
});

test('HTML: a list page where the item selector matches nothing (layout changed) is ERR_INVALID_PAYLOAD', withServer, { '/news/': page('rss/not-a-feed.html') }, async (t, server) => {
  const error = await rejectsWith(t, collect(server.url), 'ERR_INVALID_PAYLOAD');
  t.regex(error.message, /matched nothing/);
});

test('HTML config: defaults and validation', (t) => {
  const config = htmlSourceSchema.parse({ id: 'dzr', type: 'html', listUrl: 'https://dzr.example/news/', selectors: { item: '.n', link: 'a', body: '.t' } });
  t.like(config, { timeZone: 'Europe/Moscow', dateFormat: 'auto', maxPages: 3, maxArticles: 30, enabled: true });
  t.false(htmlSourceSchema.safeParse({ ...config, timeZone: 'Moscow' }).success);
  t.false(htmlSourceSchema.safeParse({ ...config, listUrl: '/news/' }).success);
  t.false(htmlSourceSchema.safeParse({ ...config, selectors: { item: '.n', link: 'a' } }).success);
  t.false(htmlSourceSchema.safeParse({ ...config, dateFormat: 'yyyy' }).success);
});
