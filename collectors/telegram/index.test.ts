import test, { type ExecutionContext } from 'ava';
import { createLogger, silentLogger, type Logger } from '../../core/logger.js';
import { CollectorError } from '../base/errors.js';
import { fixture, testHttpSettings, testQueues, withServer, type Reply, type TestServer } from '../base/test-server.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectOutcome, Collector } from '../types.js';
import { createTelegramCollector, telegramSourceSchema, type TelegramCursor } from './index.js';
import type { TelegramMessage } from './schema.js';

const channel = 'nn_zhaloby';
const title = 'Жалобы Нижний Новгород';

const html = (name: string, extra: Partial<Reply> = {}): Reply => ({
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: fixture(`telegram/${name}`),
  ...extra,
});

/** The channel as t.me serves it: newest page, then `?before=` pages down to "Channel created". */
const channelRoutes = {
  [`/s/${channel}`]: html('page-a.html'),
  [`/s/${channel}?before=115`]: html('page-b.html'),
  [`/s/${channel}?before=108`]: html('page-c.html'),
};

const deps = (): CollectorDeps => ({ http: testHttpSettings, queues: testQueues(), env: {}, logger: silentLogger });

const make = (server: TestServer, extra: Record<string, unknown> = {}): Collector<TelegramCursor> =>
  createTelegramCollector(telegramSourceSchema.parse({ id: 'tg-nn-zhaloby', type: 'telegram', channel, baseUrl: server.url, ...extra }), deps());

const recorder = (): { logger: Logger; lines: Array<{ level: string; msg: string; [key: string]: unknown }> } => {
  const lines: Array<{ level: string; msg: string }> = [];
  return { logger: createLogger('debug', (line) => lines.push(JSON.parse(line))), lines };
};

const ids = (outcome: CollectOutcome<TelegramCursor>): string[] => outcome.items.map((item) => item.input.id);
const rawOf = (outcome: CollectOutcome<TelegramCursor>, id: string): TelegramMessage & { html: string } =>
  outcome.items.find((item) => item.input.id === id)?.raw as TelegramMessage & { html: string };

const rejectsWith = async (t: ExecutionContext, promise: Promise<unknown>, code: CollectorError['code']): Promise<CollectorError> => {
  const error = await t.throwsAsync(promise, { instanceOf: CollectorError });
  t.is(error?.code, code, error?.message);
  return error as CollectorError;
};

const allPosts = ['102', '103', '104', '107', '108', '109', '111', '112', '113', '114', '115', '117', '118', '119'];

test('config: channel is a bare public username, maxPages and baseUrl have defaults', (t) => {
  const config = telegramSourceSchema.parse({ id: 'tg', type: 'telegram', channel: 'nn_zhaloby' });
  t.is(config.maxPages, 5);
  t.is(config.baseUrl, undefined);
  for (const bad of ['@nn_zhaloby', 'abcd', 'https://t.me/nn_zhaloby', 'nn-zhaloby', 'a'.repeat(33)]) {
    t.false(telegramSourceSchema.safeParse({ id: 'tg', type: 'telegram', channel: bad }).success, bad);
  }
});

test('a full pass pages back with ?before= and returns every post, oldest first', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
  t.deepEqual(ids(outcome), allPosts);
  t.deepEqual(outcome.cursor, { lastId: 119, gaps: [] });
  t.deepEqual(outcome.skipped, []);
  t.deepEqual(server.requests, [`/s/${channel}`, `/s/${channel}?before=115`, `/s/${channel}?before=108`]);

  const first = outcome.items.find((item) => item.input.id === '102');
  t.deepEqual(first?.input, {
    id: '102',
    text: 'Добрый день! На Бекетова, 13 третий день нет горячей воды.\nУК «Домоуправляющая компания Советского района» трубку не берёт.',
    source: 'tg-nn-zhaloby',
    url: 'https://t.me/nn_zhaloby/102',
    author: title,
    published_at: '2026-10-01T08:12:40.000Z',
  });
  const raw = rawOf(outcome, '102');
  t.is(raw.views, 845);
  t.true(raw.html.startsWith('<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="nn_zhaloby/102"'));
});

test('text keeps line breaks and emoji; views like "1.2K" become numbers', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
  t.is(outcome.items.find((i) => i.input.id === '118')?.input.text, 'Не работает светофор:\nпересечение Белинского и Ошарской.\n\nБудьте осторожны!');
  t.is(outcome.items.find((i) => i.input.id === '117')?.input.text, '⚠️ Упало дерево на ул. Ванеева, 110. Перекрыта одна полоса.');
  t.is(outcome.items.find((i) => i.input.id === '119')?.input.text, 'Спасибо ГИБДД — светофор починили за час.');
  t.is(rawOf(outcome, '117').views, 1200);
  t.is(rawOf(outcome, '112').views, 12700);
  t.is(rawOf(outcome, '107').views, 2000);
});

test('service messages (channel created, pinned, photo updated) are skipped with a debug log, not as errors', withServer, channelRoutes, async (t, server) => {
  const { logger, lines } = recorder();
  const outcome = await make(server).collect({ cursor: null, logger });
  for (const id of ['101', '110', '116']) t.false(ids(outcome).includes(id));
  t.deepEqual(outcome.skipped, []);
  const logged = lines.filter((line) => line.msg === 'telegram service message skipped');
  t.deepEqual(logged.map((line) => [line.level, line['id']]).sort(), [
    ['debug', 101],
    ['debug', 110],
    ['debug', 116],
  ]);
  t.is(logged.find((line) => line['id'] === 101)?.['text'], 'Channel created');
});

test('an album is one item with every photo and the ids of the messages it groups', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
  t.false(ids(outcome).includes('105'));
  t.false(ids(outcome).includes('106'));
  const album = rawOf(outcome, '104');
  // Telegram doubles the caption div of an album; the caption must come out once.
  t.is(album.text, 'Яма на Горького у дома 150 — уже третья машина с пробитым колесом за неделю.\nФото подписчика.');
  t.deepEqual(album.groupedIds, [105, 106]);
  t.deepEqual(album.media, ['photo']);
  t.deepEqual(album.photos, [
    'https://cdn4.telesco.pe/file/yama-gorkogo-150-1-kQ8vN2.jpg',
    'https://cdn4.telesco.pe/file/yama-gorkogo-150-2-Lm4xP7.jpg',
    'https://cdn4.telesco.pe/file/yama-gorkogo-150-3-Zr9tW1.jpg',
  ]);
});

test('a poll becomes its question and options as text', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
  const poll = rawOf(outcome, '109');
  t.is(poll.text, 'Как часто у вас отключают горячую воду?\nКаждую неделю\nРаз в месяц\nПочти никогда');
  t.deepEqual(poll.poll, { question: 'Как часто у вас отключают горячую воду?', type: 'Anonymous poll', options: ['Каждую неделю', 'Раз в месяц', 'Почти никогда'] });
  t.deepEqual(poll.media, ['poll']);
});

test('a forward keeps the name and link of its origin', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
  const forward = rawOf(outcome, '108');
  t.deepEqual(forward.forwardedFrom, { name: 'Администрация Нижнего Новгорода', url: 'https://t.me/nnovgorod_adm/5021' });
  t.is(forward.text, 'Плановое отключение электроэнергии 20 октября с 9:00 до 17:00:\nул. Родионова, 165–197;\nул. Белинского, 32–40.');
  t.is(forward.author, title);
});

test('links keep their hrefs, a signature becomes the author, the link preview is kept', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
  const post = rawOf(outcome, '111');
  t.is(post.author, 'Ирина К.');
  t.is(outcome.items.find((i) => i.input.id === '111')?.input.author, 'Ирина К.');
  t.deepEqual(post.links, [
    { text: 'nobl.ru/feedback', href: 'https://nobl.ru/feedback/ecology' },
    { text: '@nnovgorod_adm', href: 'https://t.me/nnovgorod_adm' },
  ]);
  t.is(post.linkPreview?.title, 'Обратная связь: министерство экологии');
  t.is(post.text.split('\n')[0], 'Жители Автозаводского района жалуются на запах гари 😷');
  // Hashtag links are relative on the page; they are kept as public t.me search links.
  t.deepEqual(
    rawOf(outcome, '107').links.map((link) => link.href),
    ['https://t.me/s/nn_zhaloby?q=%23%D0%B4%D0%BE%D1%80%D0%BE%D0%B3%D0%B8', 'https://t.me/s/nn_zhaloby?q=%23%D0%9D%D0%B8%D0%B6%D0%B5%D0%B3%D0%BE%D1%80%D0%BE%D0%B4%D1%81%D0%BA%D0%B8%D0%B9'],
  );
});

test('media-only posts are items with empty text; video, document and reply are read', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
  const photo = outcome.items.find((i) => i.input.id === '103');
  t.is(photo?.input.text, '');
  t.deepEqual(rawOf(outcome, '103').photos, ['https://cdn4.telesco.pe/file/musor-kazanskoe-shosse-Bq2mF0.jpg']);

  const video = rawOf(outcome, '112');
  t.deepEqual(video.media, ['video']);
  t.deepEqual(video.videos, [
    { url: 'https://cdn4.telesco.pe/file/perehod-moskovsky-Vd7oQ2.mp4?token=Fk3q9ZpL', thumb: 'https://cdn4.telesco.pe/file/perehod-moskovsky-thumb-Hh5oR3.jpg' },
  ]);
  t.deepEqual(rawOf(outcome, '113').documents, [{ title: 'Ответ_администрации_Канавинского_района.pdf', extra: '245.3 KB' }]);
  t.deepEqual(rawOf(outcome, '113').media, ['document']);

  const reply = rawOf(outcome, '114');
  t.is(reply.text, 'Запах до сих пор держится, в Сормове тоже чувствуется.');
  t.is(reply.replyTo, 'https://t.me/nn_zhaloby/111');
});

test(
  'a second pass after new posts returns only the new ones, in one request',
  withServer,
  { ...channelRoutes, [`/s/${channel}`]: [html('page-a.html'), html('page-a-new.html')] },
  async (t, server) => {
    const collector = make(server);
    const first = await collector.collect({ cursor: null, logger: silentLogger });
    server.requests.length = 0;
    const second = await collector.collect({ cursor: first.cursor, logger: silentLogger });
    t.deepEqual(ids(second), ['120', '121', '122']);
    t.deepEqual(second.cursor, { lastId: 122, gaps: [] });
    t.deepEqual(server.requests, [`/s/${channel}`]);
    t.is(second.items[1]?.input.text, 'Двор на Ковалихинской, 8 не чистили с понедельника.');
  },
);

test('a restart resumes from the stored cursor', withServer, { [`/s/${channel}`]: html('page-a-new.html') }, async (t, server) => {
  const stored: unknown = JSON.parse(JSON.stringify({ lastId: 119, gaps: [] }));
  const collector = make(server);
  const cursor = collector.parseCursor(stored);
  t.deepEqual(cursor, { lastId: 119, gaps: [] });
  const outcome = await collector.collect({ cursor, logger: silentLogger });
  t.deepEqual(ids(outcome), ['120', '121', '122']);
  t.is(outcome.cursor.lastId, 122);
  t.is(collector.parseCursor({ lastId: 'x' }), null);
  t.is(collector.parseCursor({ lastId: 5, gaps: [{ after: 4, before: 5 }] }), null);
  t.deepEqual(collector.parseCursor({ lastId: 5 }), { lastId: 5, gaps: [] });
});

test('no new posts: one request, nothing returned, cursor unchanged', withServer, channelRoutes, async (t, server) => {
  const outcome = await make(server).collect({ cursor: { lastId: 119, gaps: [] }, logger: silentLogger });
  t.deepEqual(outcome.items, []);
  t.deepEqual(outcome.cursor, { lastId: 119, gaps: [] });
  t.deepEqual(server.requests, [`/s/${channel}`]);
});

test('maxPages bounds the first pass to the newest pages', withServer, channelRoutes, async (t, server) => {
  const { logger, lines } = recorder();
  const outcome = await make(server, { maxPages: 2 }).collect({ cursor: null, logger });
  t.deepEqual(ids(outcome), allPosts.filter((id) => Number(id) >= 108));
  t.deepEqual(outcome.cursor, { lastId: 119, gaps: [] });
  t.is(server.requests.length, 2);
  t.truthy(lines.find((line) => line.msg === 'telegram first pass window' && line['oldestId'] === 108));
});

test('a burst longer than maxPages leaves a gap in the cursor that the next pass fills', withServer, channelRoutes, async (t, server) => {
  const collector = make(server, { maxPages: 1 });
  const first = await collector.collect({ cursor: { lastId: 107, gaps: [] }, logger: silentLogger });
  t.deepEqual(ids(first), ['115', '117', '118', '119']);
  t.deepEqual(first.cursor, { lastId: 119, gaps: [{ after: 107, before: 115 }] });

  const second = await collector.collect({ cursor: first.cursor, logger: silentLogger });
  t.deepEqual(ids(second), ['108', '109', '111', '112', '113', '114']);
  t.deepEqual(second.cursor, { lastId: 119, gaps: [] });
});

test(
  'a channel that does not exist (t.me redirects /s/<name> to a "contact @name" page) is ERR_SOURCE_GONE',
  withServer,
  {
    '/s/nn_net_takogo': { status: 302, headers: { location: '/nn_net_takogo' } },
    '/nn_net_takogo': html('not-found.html'),
  },
  async (t, server) => {
    const error = await rejectsWith(t, make(server, { channel: 'nn_net_takogo' }).collect({ cursor: null, logger: silentLogger }), 'ERR_SOURCE_GONE');
    t.is(error.disposition, 'skip-source');
    t.deepEqual(server.requests, ['/s/nn_net_takogo', '/nn_net_takogo']);
  },
);

test(
  'a private channel, group or user (redirect to a profile page without preview) is ERR_ACCESS_DENIED',
  withServer,
  {
    '/s/nn_zakrytyi': { status: 302, headers: { location: '/nn_zakrytyi' } },
    '/nn_zakrytyi': html('profile-no-preview.html'),
  },
  async (t, server) => {
    const error = await rejectsWith(t, make(server, { channel: 'nn_zakrytyi' }).collect({ cursor: null, logger: silentLogger }), 'ERR_ACCESS_DENIED');
    t.is(error.disposition, 'skip-source');
    t.regex(error.message, /Жалобы Нижний \(закрытый\)/);
  },
);

test('a 404 for the preview page is ERR_SOURCE_GONE', withServer, {}, async (t, server) => {
  await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_SOURCE_GONE');
});

test('a page that is neither a channel nor a t.me profile is ERR_INVALID_PAYLOAD', withServer, { [`/s/${channel}`]: { body: '<html><body><h1>Hello</h1></body></html>' } }, async (t, server) => {
  await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_INVALID_PAYLOAD');
});

test('broken HTML: unclosed tags still parse, a message without data-post or date is skipped, the rest kept', withServer, { [`/s/${channel}`]: html('page-broken.html') }, async (t, server) => {
  const { logger, lines } = recorder();
  const outcome = await make(server).collect({ cursor: null, logger });
  t.deepEqual(ids(outcome), ['201', '202', '205']);
  t.deepEqual(
    outcome.skipped.map((s) => s.reason),
    ['missing data-post', 'missing date'],
  );
  t.is(outcome.items.find((i) => i.input.id === '202')?.input.text, 'Во дворе на Белинского, 63 не вывозят мусор\nуже неделю');
  t.is(outcome.items.find((i) => i.input.id === '205')?.input.text, 'Открыли новый пешеходный переход на Родионова.');
  t.is(outcome.cursor.lastId, 205);
  t.is(lines.filter((line) => line.msg === 'telegram item skipped' && line.level === 'warn').length, 2);
});

test(
  '429 with Retry-After is waited out, then the pass completes',
  withServer,
  { ...channelRoutes, [`/s/${channel}`]: [{ status: 429, headers: { 'retry-after': '0' } }, html('page-a.html')] },
  async (t, server) => {
    const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
    t.deepEqual(ids(outcome), allPosts);
    t.is(server.requests.filter((r) => r === `/s/${channel}`).length, 2);
  },
);

test('429 with a long Retry-After is ERR_RATE_LIMITED carrying the pause', withServer, { [`/s/${channel}`]: { status: 429, headers: { 'retry-after': '120' } } }, async (t, server) => {
  const error = await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_RATE_LIMITED');
  t.is(error.retryAfterMs, 120_000);
  t.is(error.disposition, 'retry-later');
});

test(
  '5xx then success: retried and the pass completes',
  withServer,
  { ...channelRoutes, [`/s/${channel}?before=115`]: [{ status: 502 }, { status: 503 }, html('page-b.html')] },
  async (t, server) => {
    const outcome = await make(server).collect({ cursor: null, logger: silentLogger });
    t.deepEqual(ids(outcome), allPosts);
  },
);

test('5xx on a later page after retries fails the whole pass (no cursor past missing posts)', withServer, { ...channelRoutes, [`/s/${channel}?before=115`]: { status: 503 } }, async (t, server) => {
  await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_HTTP_STATUS');
});

test('a page that never answers is ERR_TIMEOUT', withServer, { [`/s/${channel}`]: html('page-a.html', { delayMs: 1_500 }) }, async (t, server) => {
  await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_TIMEOUT');
});

test('a body cut off mid-transfer is ERR_TRUNCATED', withServer, { [`/s/${channel}`]: html('page-a.html', { truncate: true }) }, async (t, server) => {
  await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_TRUNCATED');
});

test('an anti-bot challenge page is ERR_CAPTCHA, with 200 or 403', withServer, { [`/s/${channel}`]: html('challenge.html'), '/s/nn_zhaloby_403': html('challenge.html', { status: 403 }) }, async (t, server) => {
  const error = await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_CAPTCHA');
  t.is(error.disposition, 'skip-source');
  await rejectsWith(t, make(server, { channel: 'nn_zhaloby_403' }).collect({ cursor: null, logger: silentLogger }), 'ERR_CAPTCHA');
});

test('a page in windows-1251 labelled UTF-8 is re-decoded, with a warning', withServer, { [`/s/${channel}`]: html('page-cp1251.html') }, async (t, server) => {
  const { logger, lines } = recorder();
  const outcome = await make(server).collect({ cursor: null, logger });
  t.deepEqual(
    outcome.items.map((i) => i.input.text),
    ['Во дворе на Большой Печёрской, 26 не горят фонари — темно с 17:00.', 'Лифт в доме на Нартова, 2 стоит вторую неделю.\nПожилые жильцы не могут выйти.'],
  );
  t.is(outcome.items[0]?.input.author, title);
  t.truthy(lines.find((line) => line.msg === 'telegram page charset fallback' && line.level === 'warn'));
});

test('a ?before= page that does not move back is ERR_INVALID_PAYLOAD, not an endless loop', withServer, { ...channelRoutes, [`/s/${channel}?before=115`]: html('page-a.html') }, async (t, server) => {
  await rejectsWith(t, make(server).collect({ cursor: null, logger: silentLogger }), 'ERR_INVALID_PAYLOAD');
  t.is(server.requests.length, 2);
});
