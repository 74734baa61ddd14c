import test, { type ExecutionContext } from 'ava';
import { createLogger, silentLogger, type Logger } from '../../core/logger.js';
import { CollectorError } from '../base/errors.js';
import { fixture, fixtureText, testHttpSettings, testQueues, withServer, type Reply, type Routes } from '../base/test-server.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectOutcome } from '../types.js';
import { createRssCollector, rssSourceSchema, type RssCursor } from './index.js';

const deps = (logger: Logger = silentLogger): CollectorDeps => ({ http: testHttpSettings, queues: testQueues(), env: {}, logger });

const source = (url: string, extra: Record<string, unknown> = {}) => rssSourceSchema.parse({ id: 'nn-news', type: 'rss', url, ...extra });

const collect = (url: string, cursor: RssCursor | null = null, extra: Record<string, unknown> = {}, logger: Logger = silentLogger): Promise<CollectOutcome<RssCursor>> =>
  createRssCollector(source(url, extra), deps(logger)).collect({ cursor, logger });

const xml = (path: string, headers: Record<string, string> = { 'content-type': 'application/rss+xml' }): Reply => ({ body: fixture(path), headers });

/** Feeds whose links must point back at the test server carry `{{base}}`. */
const templated = (path: string): Routes[string] => (_url, req) => ({
  body: fixtureText(path).replaceAll('{{base}}', `http://${req.headers.host}`),
  headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
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

test('RSS 2.0: a full pass returns every item with text, dates, author and media', withServer, { '/rss/': xml('rss/nn-news.xml') }, async (t, server) => {
  const { items, skipped, cursor } = await collect(`${server.url}/rss/`);
  t.deepEqual(skipped, []);
  t.is(items.length, 4);
  const [roads, water, garbage, bridge] = items.map((item) => item.input);
  t.deepEqual(roads, {
    id: 'nn-2026-11-21-1040',
    text:
      'На улице Родионова начали ремонт дороги\n\n' +
      'Подрядчик приступил к замене асфальта на участке улицы Родионова от Казанского съезда до улицы Бориса Панина.\n' +
      'Движение ограничено до 30 ноября.\n' +
      'Автобусы № 40 и 85 идут в объезд по Верхне-Волжской набережной.',
    source: 'nn-news',
    url: 'https://nn-news.example/news/2026/11/21/remont-rodionova/',
    author: 'Анна Смирнова',
    published_at: '2026-11-21T11:05:00.000Z',
  });
  // Escaped HTML in the description, "&amp;" in the title, Russian RFC 822, e-mail author.
  t.is(water?.text, 'Отключение горячей воды в Сормове & Московском районе\n\n22 ноября с 9:00 до 18:00 не будет горячей воды в домах на улицах Коминтерна и Культуры.\nПричина — замена задвижки на магистральной сети.');
  t.is(water?.published_at, '2026-11-21T06:30:00.000Z');
  t.is(water?.author, 'Редакция');
  // No guid: the link is the id, without tracking parameters.
  t.is(garbage?.id, 'https://nn-news.example/news/2026/11/21/musor-avtozavod/');
  t.is(garbage?.url, 'https://nn-news.example/news/2026/11/21/musor-avtozavod/');
  t.is(garbage?.published_at, '2026-11-21T05:15:00.000Z');
  t.is(bridge?.text, 'Канавинский мост перекроют 23 ноября');
  t.is(bridge?.published_at, '2026-11-20T15:40:00.000Z');
  const raw = items.map((item) => item.raw as { xml: string; media: string[]; feed: { kind: string } });
  t.deepEqual(raw[0]?.media, ['https://nn-news.example/upload/2026/11/rodionova.jpg']);
  t.deepEqual(raw[3]?.media, ['https://nn-news.example/upload/2026/11/most.jpg']);
  t.true(raw[0]?.xml.startsWith('<item>'));
  t.true(raw[0]?.xml.includes('<![CDATA[<p>Подрядчик'));
  t.is(raw[0]?.feed.kind, 'rss');
  t.deepEqual(cursor.seen, items.map((item) => item.input.id));
  t.is(cursor.newest, '2026-11-21T11:05:00.000Z');
});

test(
  'RSS: a second pass returns only new items, whatever was reordered or re-dated',
  withServer,
  { '/rss/': [xml('rss/nn-news.xml'), xml('rss/nn-news-updated.xml')] },
  async (t, server) => {
    const first = await collect(`${server.url}/rss/`);
    const second = await collect(`${server.url}/rss/`, first.cursor);
    t.deepEqual(second.items.map((item) => item.input.id), ['nn-2026-11-22-1102', 'nn-2026-11-22-1101']);
    t.deepEqual(second.skipped, []);
    t.is(second.cursor.newest, '2026-11-22T07:50:00.000Z');
    t.deepEqual(second.cursor.seen.slice(0, 2), ['nn-2026-11-22-1102', 'nn-2026-11-22-1101']);
    t.is(second.cursor.seen.length, 6);
    const third = await collect(`${server.url}/rss/`, second.cursor);
    t.deepEqual(third.items, []);
  },
);

test(
  'RSS: a restart resumes from the stored cursor',
  withServer,
  { '/rss/': [xml('rss/nn-news.xml'), xml('rss/nn-news-updated.xml')] },
  async (t, server) => {
    const first = await collect(`${server.url}/rss/`);
    const stored: unknown = JSON.parse(JSON.stringify(first.cursor));
    const restarted = createRssCollector(source(`${server.url}/rss/`), deps());
    const cursor = restarted.parseCursor(stored);
    t.deepEqual(cursor, first.cursor);
    const next = await restarted.collect({ cursor, logger: silentLogger });
    t.deepEqual(next.items.map((item) => item.input.id), ['nn-2026-11-22-1102', 'nn-2026-11-22-1101']);
    t.is(restarted.parseCursor({ seen: 'nope' }), null);
    t.deepEqual(restarted.parseCursor({}), { seen: [], newest: null });
  },
);

test('Atom: html, xhtml and summary content, relative links, updated as the date', withServer, { '/atom.xml': xml('rss/dzr-news.atom.xml', { 'content-type': 'application/atom+xml' }) }, async (t, server) => {
  const { items, skipped } = await collect(`${server.url}/atom.xml`);
  t.deepEqual(skipped, []);
  t.is(items.length, 3);
  const [power, heating, bridge] = items.map((item) => item.input);
  t.is(power?.id, 'tag:dzr-gorod.example,2026:news/5512');
  t.is(power?.url, 'https://dzr-gorod.example/news/5512');
  t.is(power?.text, 'В Дзержинске отключат свет на улице Гайдара\n\n23 ноября с 10:00 до 16:00 электричества не будет в домах 10–24 на улице Гайдара.\nЭнергетики меняют кабель.');
  t.is(power?.published_at, '2026-11-21T08:20:00.000Z');
  t.is(power?.author, 'Мария Кузнецова');
  t.deepEqual((items[0]?.raw as { media: string[] }).media, ['https://dzr-gorod.example/img/5512.jpg']);
  t.is(heating?.text, 'Жители проспекта Циолковского пожаловались на холодные батареи\n\nВ домах 41 и 43 по проспекту Циолковского третий день +14 в квартирах.\nУправляющая компания обещает промыть систему до выходных.');
  t.is(heating?.url, 'https://dzr-gorod.example/news/5509');
  t.is(heating?.published_at, '2026-11-21T06:05:00.000Z');
  t.is(bridge?.url, `${server.url}/news/5501`);
  t.is(bridge?.published_at, '2026-11-20T14:00:00.000Z');
  t.is(bridge?.text, 'Ремонт моста через Оку: сроки сдвинулись\n\nПодрядчик просит перенести окончание ремонта на июнь 2027 года.');
  t.is((items[0]?.raw as { feed: { kind: string } }).feed.kind, 'atom');
});

test('RSS 1.0 (RDF): rdf:about as the id, dc:date and dc:creator', withServer, { '/rdf': xml('rss/nn-rdf.xml') }, async (t, server) => {
  const { items } = await collect(`${server.url}/rdf`);
  t.deepEqual(
    items.map((item) => item.input),
    [
      {
        id: 'https://kstovo-news.example/n/412',
        text: 'Ремонт дороги на Нижегородскую набережную отложили\n\nПодрядчик не успел до заморозков; работы перенесены на апрель.',
        source: 'nn-news',
        url: 'https://kstovo-news.example/n/412',
        author: 'Пресс-служба администрации',
        published_at: '2026-11-21T14:30:00.000Z',
      },
    ],
  );
});

test('RSS: malformed items are skipped with a reason and the rest kept', withServer, { '/rss': xml('rss/broken-items.xml') }, async (t, server) => {
  const { logger, lines } = capture();
  const { items, skipped, cursor } = await collect(`${server.url}/rss`, null, {}, logger);
  t.deepEqual(items.map((item) => item.input.id), ['dzr-z-301', 'dzr-z-298', 'dzr-z-297']);
  // Media without text is still an item: nothing is lost.
  t.is(items[1]?.input.text, '');
  t.deepEqual((items[1]?.raw as { media: string[] }).media, ['https://dzr-zhaloby.example/media/298.mp4']);
  // An unreadable date leaves the date out rather than dropping the item.
  t.is(items[2]?.input.published_at, undefined);
  t.is((items[2]?.raw as { dateText: string }).dateText, 'позавчера вечером');
  t.deepEqual(skipped.map((s) => s.reason), ['no-id', 'no-text', 'no-id']);
  t.regex(skipped[0]?.detail ?? '', /item 2: no guid and no link/);
  t.is(lines.filter((line) => line.msg === 'rss item skipped').length, 3);
  t.deepEqual(cursor.seen, ['dzr-z-301', 'dzr-z-298', 'dzr-z-297']);
});

test('RSS: a windows-1251 feed declared only in its XML declaration', withServer, { '/rss.xml': xml('rss/dzr-cp1251.xml', { 'content-type': 'application/rss+xml' }) }, async (t, server) => {
  t.true(fixture('rss/dzr-cp1251.xml').includes(Buffer.from([0xc4, 0xe7, 0xe5, 0xf0])), 'the fixture is stored as cp1251 bytes ("Дзер")');
  const { items } = await collect(`${server.url}/rss.xml`);
  t.is(items.length, 2);
  t.is(items[0]?.input.text, 'На улице Чапаева прорвало теплотрассу\n\nКипяток заливает проезжую часть у дома № 68 — движение перекрыто.\nЖители соседних домов остались без отопления.');
  t.is(items[0]?.input.author, 'Ёлкин Пётр');
  t.is(items[1]?.input.text.split('\n')[0], 'Жалоба: «Ёлки во дворе спилили без согласования»');
});

test(
  'RSS: wrong charset — the header says UTF-8, the bytes are windows-1251',
  withServer,
  { '/rss.xml': { body: Buffer.from(fixture('rss/dzr-cp1251.xml').toString('latin1').replace(' encoding="windows-1251"', ''), 'latin1'), headers: { 'content-type': 'application/rss+xml; charset=utf-8' } } },
  async (t, server) => {
    // The latin1 round trip above keeps the cp1251 bytes and only drops the declaration.
    const { logger, lines } = capture();
    const { items } = await collect(`${server.url}/rss.xml`, null, {}, logger);
    t.is(items[0]?.input.author, 'Ёлкин Пётр');
    t.false(items.some((item) => item.input.text.includes('\uFFFD')));
    t.true(lines.some((line) => line.msg === 'rss feed charset mislabelled'));
  },
);

test(
  'RSS: a UTF-8 feed that declares no charset anywhere is read as UTF-8',
  withServer,
  { '/rss': { body: fixtureText('rss/nn-news.xml').replace(/^<\?xml[^>]*>\s*/, ''), headers: { 'content-type': 'application/rss+xml' } } },
  async (t, server) => {
    const { items } = await collect(`${server.url}/rss`);
    t.is(items[0]?.input.author, 'Анна Смирнова');
  },
);

test(
  'RSS with fetchArticle: full text from the page; an article that 404s keeps the feed text',
  withServer,
  {
    '/feed.xml': templated('rss/summary-feed.xml'),
    '/articles/krysha-vaneeva.html': { body: fixture('rss/articles/krysha-vaneeva.html') },
    '/articles/bor-podtoplenie.html': { body: fixture('rss/articles/bor-podtoplenie.html') },
  },
  async (t, server) => {
    const { logger, lines } = capture();
    const { items, skipped, cursor } = await collect(`${server.url}/feed.xml`, null, { fetchArticle: { body: '.article-body' } }, logger);
    t.deepEqual(skipped, []);
    t.deepEqual(items.map((item) => item.input.id), ['short-7001', 'short-7000', 'short-6999']);
    t.is(
      items[0]?.input.text,
      'Капремонт крыши на Ванеева затянулся\n\n' +
        'Жильцы дома 34 на улице Ванеева жалуются на протечки: ремонт крыши начался в августе и до сих пор не закончен.\n' +
        '«После каждого дождя в подъезде стоит вода», — рассказала жительница пятого этажа.\n' +
        'В Фонде капремонта обещают закончить работы до 15 декабря.',
    );
    t.like(items[0]?.raw, { article: { url: `${server.url}/articles/krysha-vaneeva.html`, found: true } });
    t.is(items[1]?.input.text, 'Автобус № 61 изменит маршрут\n\nС 25 ноября автобус пойдёт через площадь Горького…');
    t.like(items[1]?.raw, { article: { error: 'ERR_SOURCE_GONE', status: 404 } });
    t.true(lines.some((line) => line.msg === 'rss article fetch failed' && line.code === 'ERR_SOURCE_GONE'));
    t.true(items[2]?.input.text.includes('откачивающую технику'));
    t.is(cursor.seen.length, 3);
  },
);

test(
  'RSS with fetchArticle: maxPerPass bounds a pass and the rest come next time',
  withServer,
  { '/feed.xml': templated('rss/summary-feed.xml'), '/articles/krysha-vaneeva.html': { body: fixture('rss/articles/krysha-vaneeva.html') }, '/articles/bor-podtoplenie.html': { body: fixture('rss/articles/bor-podtoplenie.html') } },
  async (t, server) => {
    const extra = { fetchArticle: { body: '.article-body', maxPerPass: 2 } };
    const first = await collect(`${server.url}/feed.xml`, null, extra);
    t.deepEqual(first.items.map((item) => item.input.id), ['short-7001', 'short-7000']);
    const second = await collect(`${server.url}/feed.xml`, first.cursor, extra);
    t.deepEqual(second.items.map((item) => item.input.id), ['short-6999']);
    t.is(server.requests.filter((path) => path.startsWith('/articles/')).length, 3);
  },
);

test(
  'RSS with fetchArticle: a captcha on article pages stops article fetches, items keep the feed text',
  withServer,
  { '/feed.xml': templated('rss/summary-feed.xml'), '/articles/krysha-vaneeva.html': { body: fixture('html/captcha.html') } },
  async (t, server) => {
    const { items } = await collect(`${server.url}/feed.xml`, null, { fetchArticle: { body: '.article-body' } });
    t.is(items.length, 3);
    t.like(items[0]?.raw, { article: { error: 'ERR_CAPTCHA' } });
    t.is(items[2]?.input.text, 'На Бору подтопило дорогу\n\nУчасток дороги у переправы ушёл под воду…');
    t.deepEqual(server.requests.filter((path) => path.startsWith('/articles/')), ['/articles/krysha-vaneeva.html']);
  },
);

test('RSS: a page that is not a feed is ERR_INVALID_PAYLOAD', withServer, { '/rss': { body: fixture('rss/not-a-feed.html'), headers: { 'content-type': 'text/html' } } }, async (t, server) => {
  const error = await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_INVALID_PAYLOAD');
  t.regex(error.message, /not an RSS or Atom feed \(found <html>\)/);
  t.is(error.disposition, 'retry-later');
});

test('RSS: <rss> without a <channel> is ERR_INVALID_PAYLOAD', withServer, { '/rss': xml('rss/no-channel.xml') }, async (t, server) => {
  await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_INVALID_PAYLOAD');
});

test('RSS: garbage instead of XML is ERR_INVALID_PAYLOAD', withServer, { '/rss': { body: '{"error":"feed disabled"}' } }, async (t, server) => {
  await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_INVALID_PAYLOAD');
});

test('RSS: a feed cut off mid-item (complete HTTP response) is ERR_TRUNCATED', withServer, { '/rss': xml('rss/cut-off.xml') }, async (t, server) => {
  await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_TRUNCATED');
});

test('RSS: a body cut off in transfer is ERR_TRUNCATED', withServer, { '/rss': { ...xml('rss/nn-news.xml'), truncate: true } }, async (t, server) => {
  await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_TRUNCATED');
});

const statusCases: ReadonlyArray<[number, CollectorError['code']]> = [
  [403, 'ERR_ACCESS_DENIED'],
  [404, 'ERR_SOURCE_GONE'],
  [410, 'ERR_SOURCE_GONE'],
  [500, 'ERR_HTTP_STATUS'],
  [503, 'ERR_HTTP_STATUS'],
  [429, 'ERR_RATE_LIMITED'],
];

for (const [status, code] of statusCases) {
  test(`RSS: the feed answering ${status} is ${code}`, withServer, { '/rss': { status, body: 'error' } }, async (t, server) => {
    await rejectsWith(t, collect(`${server.url}/rss`), code);
    // 5xx and 429 are retried by the client before giving up; other 4xx are not.
    t.is(server.requests.length, status >= 500 || status === 429 ? 1 + testHttpSettings.retries : 1);
  });
}

test('RSS: 429 with a long Retry-After is not waited out in-process', withServer, { '/rss': { status: 429, body: 'slow down', headers: { 'retry-after': '3600' } } }, async (t, server) => {
  const error = await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_RATE_LIMITED');
  t.is(server.requests.length, 1);
  t.true((error.retryAfterMs ?? 0) > 3_000_000);
});

test('RSS: an anti-bot page instead of the feed is ERR_CAPTCHA', withServer, { '/rss': { body: fixture('html/captcha.html') } }, async (t, server) => {
  const error = await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_CAPTCHA');
  t.is(error.disposition, 'skip-source');
});

test('RSS: a login page instead of the feed is ERR_LOGIN_WALL', withServer, { '/rss': { body: fixture('html/login.html') } }, async (t, server) => {
  await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_LOGIN_WALL');
});

test('RSS: a feed that never answers is ERR_TIMEOUT', withServer, { '/rss': { ...xml('rss/nn-news.xml'), delayMs: testHttpSettings.timeoutMs + 500 } }, async (t, server) => {
  await rejectsWith(t, collect(`${server.url}/rss`), 'ERR_TIMEOUT');
});

test('RSS config: baseUrl is accepted and ignored; relative feed URLs are rejected', withServer, { '/rss/': xml('rss/nn-news.xml') }, async (t, server) => {
  const { items } = await collect(`${server.url}/rss/`, null, { baseUrl: 'https://mirror.example/' });
  t.is(items.length, 4);
  t.false(rssSourceSchema.safeParse({ id: 'x', type: 'rss', url: '/rss' }).success);
  t.false(rssSourceSchema.safeParse({ id: 'x', type: 'rss', url: 'https://a.example/rss', timeZone: 'Mars/Olympus' }).success);
  t.like(rssSourceSchema.parse({ id: 'x', type: 'rss', url: 'https://a.example/rss' }), { timeZone: 'Europe/Moscow', schedule: '*/15 * * * *', enabled: true });
});
