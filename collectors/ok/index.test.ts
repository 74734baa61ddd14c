import { createHash } from 'node:crypto';
import test from 'ava';
import { silentLogger } from '../../core/logger.js';
import { CollectorError } from '../base/errors.js';
import { fixture, fixtureText, testHttpSettings, testQueues, withServer, type Reply, type Route, type TestServer } from '../base/test-server.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectedItem } from '../types.js';
import { createOkCollector, okSourceSchema, type OkCursor } from './index.js';

const APP_KEY = 'CBAJQKLGDIHBABABA';
const APP_SECRET = '0123456789ABCDEF0123456789ABCDEF';
const TOKEN = '-s-test.TOKEN.Dzerzhinsk';
const ENV = { OK_APPLICATION_KEY: APP_KEY, OK_APPLICATION_SECRET_KEY: APP_SECRET, OK_ACCESS_TOKEN: TOKEN };
const DZR = '53038939046008';
const NN = '54011223344556';
const PAGE2 = 'QU5DSE9SLXBhZ2UtMg';

const json = (name: string): Reply => ({ headers: { 'content-type': 'application/json;charset=utf-8' }, body: fixture(`ok/${name}`) });

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/**
 * A fake fb.do that checks the signature the way OK documents it (its own implementation, not the
 * collector's) and answers 104 when it does not match, then lets `answer` reply by group and anchor.
 */
const okApi =
  (answer: (gid: string, anchor: string | null, url: URL) => Reply): Route =>
  (url) => {
    const { sig, access_token: token, ...signed } = Object.fromEntries(url.searchParams);
    const base = Object.keys(signed)
      .sort()
      .map((k) => `${k}=${signed[k]}`)
      .join('');
    const expected = md5(base + md5(`${token}${APP_SECRET}`));
    if (token !== TOKEN || signed.application_key !== APP_KEY || sig !== expected) return json('error-104-signature.json');
    return answer(signed.gid ?? '', signed.anchor ?? null, url);
  };

const source = (server: TestServer, extra: Record<string, unknown> = {}) => okSourceSchema.parse({ id: 'ok-dzr', type: 'ok', groupIds: [DZR], baseUrl: `${server.url}/fb.do`, ...extra });
const deps = (env: Record<string, string> = ENV): CollectorDeps => ({ http: testHttpSettings, queues: testQueues(), env, logger: silentLogger });
const ctx = (cursor: OkCursor | null = null) => ({ cursor, logger: silentLogger });
const ids = (items: readonly CollectedItem[]) => items.map((i) => i.input.id);

/** Two pages of the Dzerzhinsk group; after `newer()` the top page has two new topics. */
const twoPages = () => {
  let top = 'topics-page1.json';
  const route = okApi((_gid, anchor) => (anchor === PAGE2 ? json('topics-page2.json') : anchor === null ? json(top) : { status: 400, body: `unexpected anchor ${anchor}` }));
  return { route, newer: () => (top = 'topics-newer.json') };
};

const byId = (items: readonly CollectedItem[], id: string) => items.find((i) => i.input.id === id) as CollectedItem;

{
  const api = twoPages();
  test('full pass over two pages stores every topic', withServer, { '/fb.do': api.route }, async (t, server) => {
    const out = await createOkCollector(source(server), deps()).collect(ctx());
    t.deepEqual(ids(out.items), ['155000000000001', '155000000000104', '155000000000103', '155000000000102', '155000000000101']);
    t.deepEqual(out.skipped, []);
    t.deepEqual(out.cursor, { groups: { [DZR]: { newest: { id: '155000000000104', ms: 1795162500000 } } } });

    const leak = byId(out.items, '155000000000104');
    t.deepEqual(leak.input, {
      id: '155000000000104',
      text: 'На проспекте Ленина в Дзержинске у дома 52 с утра прорвало трубу.\nВода заливает проезжую часть, аварийная служба до сих пор не приехала.',
      source: 'ok-dzr',
      url: `https://ok.ru/group/${DZR}/topic/155000000000104`,
      author: 'Ирина Смирнова',
      published_at: '2026-11-20T08:15:00.000Z',
    });
    const raw = leak.raw as { topic: unknown; entities: Record<string, unknown>; photos: string[]; links: string[] };
    t.deepEqual(raw.topic, (JSON.parse(fixtureText('ok/topics-page1.json')) as { media_topics: unknown[] }).media_topics[1]);
    t.deepEqual(Object.keys(raw.entities).sort(), ['group:53038939046008', 'group_photo:900000000001', 'user:577000000001']);
    t.deepEqual(raw.photos, ['https://i.mycdn.me/i?r=AzEPZsRbOZEKgBhR0XGMT1RkTestLeninaProrYvMax']);

    const station = byId(out.items, '155000000000103');
    t.is(station.input.author, 'Алексей Кузнецов');
    t.deepEqual((station.raw as { links: string[] }).links, ['https://www.nn.ru/text/transport/2026/11/20/eskalator-moskovskiy-vokzal/']);

    // A photo-only topic is still an item, with empty text and the group as author.
    const photoOnly = byId(out.items, '155000000000101');
    t.is(photoOnly.input.text, '');
    t.is(photoOnly.input.author, 'Дзержинск онлайн');

    t.is(server.requests.length, 2);
    const second = new URL(server.requests[1] as string, 'http://x');
    t.is(second.searchParams.get('anchor'), PAGE2);
    t.is(second.searchParams.get('direction'), 'FORWARD');
    t.is(second.searchParams.get('method'), 'mediatopic.getTopics');
    t.is(second.searchParams.get('count'), '20');
  });
}

{
  const api = twoPages();
  test('second pass after new posts returns only the new ones', withServer, { '/fb.do': api.route }, async (t, server) => {
    const collector = createOkCollector(source(server), deps());
    const first = await collector.collect(ctx());
    api.newer();
    const before = server.requests.length;
    const second = await collector.collect(ctx(first.cursor));
    t.deepEqual(ids(second.items), ['155000000000106', '155000000000105']);
    t.is(server.requests.length - before, 1, 'stops at the page that reaches the last seen topic');
    t.deepEqual(second.cursor.groups[DZR], { newest: { id: '155000000000106', ms: 1795168920000 } });
    const third = await collector.collect(ctx(second.cursor));
    t.deepEqual(third.items, []);
    t.deepEqual(third.cursor, second.cursor);
  });
}

{
  const api = twoPages();
  test('restart resumes from the stored cursor', withServer, { '/fb.do': api.route }, async (t, server) => {
    const first = await createOkCollector(source(server), deps()).collect(ctx());
    const stored: unknown = JSON.parse(JSON.stringify(first.cursor));
    api.newer();
    const restarted = createOkCollector(source(server), deps());
    const cursor = restarted.parseCursor(stored);
    t.not(cursor, null);
    const out = await restarted.collect(ctx(cursor));
    t.deepEqual(ids(out.items), ['155000000000106', '155000000000105']);
    t.is(restarted.parseCursor({ groups: { [DZR]: { newest: { id: 'x' } } } }), null);
    t.is(restarted.parseCursor('garbage'), null);
  });
}

{
  const api = twoPages();
  test('a walk cut by maxPages keeps the old watermark and finishes next pass', withServer, { '/fb.do': api.route }, async (t, server) => {
    const collector = createOkCollector(source(server, { maxPages: 1 }), deps());
    const watermark = { id: '155000000000101', ms: 1795091400000 };
    // The pinned old topic heads page 1; the walk must not stop there.
    const first = await collector.collect(ctx({ groups: { [DZR]: { newest: watermark } } }));
    t.deepEqual(ids(first.items), ['155000000000104', '155000000000103']);
    t.deepEqual(first.cursor.groups[DZR], { newest: watermark, backlog: { anchor: PAGE2, walkNewest: { id: '155000000000104', ms: 1795162500000 } } });
    const second = await collector.collect(ctx(first.cursor));
    t.deepEqual(ids(second.items), ['155000000000102']);
    t.deepEqual(second.cursor.groups[DZR], { newest: { id: '155000000000104', ms: 1795162500000 } });
    t.is(new URL(server.requests.at(-1) as string, 'http://x').searchParams.get('anchor'), PAGE2);
  });
}

test(
  'a stored anchor OK rejects (error 100) restarts the walk from the top, losing nothing',
  withServer,
  { '/fb.do': okApi((_gid, anchor) => (anchor === 'EXPIRED' ? json('error-100-param.json') : anchor === PAGE2 ? json('topics-page2.json') : json('topics-page1.json'))) },
  async (t, server) => {
    const watermark = { id: '155000000000101', ms: 1795091400000 };
    const cursor = { groups: { [DZR]: { newest: watermark, backlog: { anchor: 'EXPIRED', walkNewest: { id: '155000000000104', ms: 1795162500000 } } } } };
    const out = await createOkCollector(source(server), deps()).collect(ctx(cursor));
    t.deepEqual(ids(out.items), ['155000000000104', '155000000000103', '155000000000102']);
    t.is(out.skipped[0]?.reason, 'backlog-restarted');
    t.deepEqual(out.cursor.groups[DZR], { newest: { id: '155000000000104', ms: 1795162500000 } });
  },
);

test(
  'malformed topic is skipped, the rest kept',
  withServer,
  { '/fb.do': okApi(() => json('topics-malformed.json')) },
  async (t, server) => {
    const out = await createOkCollector(source(server), deps()).collect(ctx());
    t.deepEqual(ids(out.items), ['155000000000204', '155000000000201']);
    t.is(out.skipped.length, 2);
    t.true(out.skipped.every((s) => s.reason === 'invalid-topic'));
    t.regex(out.skipped[0]?.detail ?? '', /155000000000203.*created_ms/);
    t.regex(out.skipped[1]?.detail ?? '', /155000000000202.*media/);
    t.deepEqual(out.cursor.groups[DZR], { newest: { id: '155000000000204', ms: 1795162500000 } });
    // Next pass: the dated malformed topic is behind the watermark and not reported again; the
    // undated one cannot be placed in time, so it is reported while it stays on the first page.
    const again = await createOkCollector(source(server), deps()).collect(ctx(out.cursor));
    t.deepEqual(again.items, []);
    t.is(again.skipped.length, 1);
    t.regex(again.skipped[0]?.detail ?? '', /155000000000203/);
  },
);

const errorCases: readonly [string, string, CollectorError['code'], CollectorError['disposition'], number][] = [
  ['session expired', 'error-102-session-expired.json', 'ERR_AUTH', 'fail-config', 102],
  ['wrong parameter', 'error-100-param.json', 'ERR_CONFIG', 'fail-config', 100],
  ['call limit reached', 'error-11-limit.json', 'ERR_RATE_LIMITED', 'retry-later', 11],
  ['flood block', 'error-8-flood.json', 'ERR_RATE_LIMITED', 'retry-later', 8],
  ['permission denied', 'error-10-permission.json', 'ERR_ACCESS_DENIED', 'skip-source', 10],
  ['group not found', 'error-300-not-found.json', 'ERR_SOURCE_GONE', 'skip-source', 300],
  ['friend restriction', 'error-455-restriction.json', 'ERR_ACCESS_DENIED', 'skip-source', 455],
  ['other platform error', 'error-2-service.json', 'ERR_PLATFORM', 'retry-later', 2],
];

for (const [name, file, code, disposition, platformCode] of errorCases) {
  test(`OK error: ${name} → ${code}`, withServer, { '/fb.do': okApi(() => json(file)) }, async (t, server) => {
    const error = await t.throwsAsync(createOkCollector(source(server), deps()).collect(ctx()), { instanceOf: CollectorError });
    t.is(error?.code, code);
    t.is(error?.disposition, disposition);
    t.is(error?.platformCode, platformCode);
    const said = (JSON.parse(fixtureText(`ok/${file}`)) as { error_msg: string }).error_msg;
    t.true(error?.message.includes(said), 'says what OK said');
    t.true(error?.message.includes(DZR), 'names the group');
  });
}

test('wrong secret key: OK rejects the signature → ERR_AUTH', withServer, { '/fb.do': okApi(() => json('topics-page2.json')) }, async (t, server) => {
  const error = await t.throwsAsync(createOkCollector(source(server), deps({ ...ENV, OK_APPLICATION_SECRET_KEY: 'WRONG' })).collect(ctx()), { instanceOf: CollectorError });
  t.is(error?.code, 'ERR_AUTH');
  t.is(error?.platformCode, 104);
  t.regex(error?.message ?? '', /PARAM_SIGNATURE.*secret key/);
});

test(
  'one unavailable group is skipped, the other groups are kept',
  withServer,
  { '/fb.do': okApi((gid) => (gid === NN ? json('error-300-not-found.json') : json('topics-page2.json'))) },
  async (t, server) => {
    const out = await createOkCollector(source(server, { groupIds: [DZR, NN] }), deps()).collect(ctx());
    t.deepEqual(ids(out.items), ['155000000000102', '155000000000101']);
    t.is(out.skipped.length, 1);
    t.is(out.skipped[0]?.reason, 'group-unavailable');
    t.regex(out.skipped[0]?.detail ?? '', /300/);
    t.deepEqual(Object.keys(out.cursor.groups), [DZR]);
  },
);

test(
  'several groups each keep their own cursor',
  withServer,
  { '/fb.do': okApi((gid) => (gid === NN ? json('topics-group2.json') : json('topics-page2.json'))) },
  async (t, server) => {
    const out = await createOkCollector(source(server, { groupIds: [DZR, Number(NN)] }), deps()).collect(ctx());
    t.is(out.items.length, 4);
    t.is(byId(out.items, '156000000000302').input.url, `https://ok.ru/group/${NN}/topic/156000000000302`);
    t.deepEqual(out.cursor.groups[NN], { newest: { id: '156000000000302', ms: 1795167000000 } });
    t.deepEqual(out.cursor.groups[DZR], { newest: { id: '155000000000102', ms: 1795111500000 } });
  },
);

test('every group unavailable fails the source', withServer, { '/fb.do': okApi(() => json('error-10-permission.json')) }, async (t, server) => {
  const error = await t.throwsAsync(createOkCollector(source(server, { groupIds: [DZR, NN] }), deps()).collect(ctx()), { instanceOf: CollectorError });
  t.is(error?.code, 'ERR_ACCESS_DENIED');
});

{
  let calls = 0;
  const route = okApi(() => (++calls <= 2 ? { status: 503, body: 'Service Unavailable' } : json('topics-group2.json')));
  test('5xx then success', withServer, { '/fb.do': route }, async (t, server) => {
    const out = await createOkCollector(source(server), deps()).collect(ctx());
    t.is(out.items.length, 2);
    t.is(server.requests.length, 3);
  });
}

test('5xx after every retry → ERR_HTTP_STATUS without the token in the error', withServer, { '/fb.do': { status: 502, body: 'Bad Gateway' } }, async (t, server) => {
  const error = await t.throwsAsync(createOkCollector(source(server), deps()).collect(ctx()), { instanceOf: CollectorError });
  t.is(error?.code, 'ERR_HTTP_STATUS');
  t.is(error?.status, 502);
  t.false(`${error?.url} ${error?.message}`.includes(TOKEN));
  t.false(`${error?.url}`.includes('sig='));
});

test(
  'invalid JSON → ERR_INVALID_PAYLOAD',
  withServer,
  { '/fb.do': { headers: { 'content-type': 'text/html' }, body: '<html><body>Технические работы</body></html>' } },
  async (t, server) => {
    const error = await t.throwsAsync(createOkCollector(source(server), deps()).collect(ctx()), { instanceOf: CollectorError });
    t.is(error?.code, 'ERR_INVALID_PAYLOAD');
    t.is(error?.disposition, 'retry-later');
  },
);

test('JSON of the wrong shape → ERR_INVALID_PAYLOAD', withServer, { '/fb.do': { body: '{"media_topics":"нет"}' } }, async (t, server) => {
  const error = await t.throwsAsync(createOkCollector(source(server), deps()).collect(ctx()), { instanceOf: CollectorError });
  t.is(error?.code, 'ERR_INVALID_PAYLOAD');
  t.regex(error?.message ?? '', /media_topics/);
});

test('truncated body (connection dropped) → ERR_TRUNCATED', withServer, { '/fb.do': { body: fixture('ok/topics-page1.json'), truncate: true } }, async (t, server) => {
  const error = await t.throwsAsync(createOkCollector(source(server), deps()).collect(ctx()), { instanceOf: CollectorError });
  t.is(error?.code, 'ERR_TRUNCATED');
});

test(
  'truncated JSON (complete response, cut document) → ERR_TRUNCATED',
  withServer,
  { '/fb.do': { body: fixtureText('ok/topics-page1.json').slice(0, 400) } },
  async (t, server) => {
    const error = await t.throwsAsync(createOkCollector(source(server), deps()).collect(ctx()), { instanceOf: CollectorError });
    t.is(error?.code, 'ERR_TRUNCATED');
  },
);

test('missing credentials → ERR_CONFIG naming every missing variable, nothing requested', withServer, { '/fb.do': okApi(() => json('topics-page2.json')) }, async (t, server) => {
  const error = await t.throwsAsync(createOkCollector(source(server), deps({})).collect(ctx()), { instanceOf: CollectorError });
  t.is(error?.code, 'ERR_CONFIG');
  t.is(error?.disposition, 'fail-config');
  for (const name of ['OK_APPLICATION_KEY', 'OK_APPLICATION_SECRET_KEY', 'OK_ACCESS_TOKEN']) t.true(error?.message.includes(name), name);

  const custom = source(server, { accessTokenEnv: 'OK_TOKEN_DZR' });
  const only = await t.throwsAsync(createOkCollector(custom, deps({ OK_APPLICATION_KEY: APP_KEY, OK_APPLICATION_SECRET_KEY: APP_SECRET, OK_ACCESS_TOKEN: TOKEN })).collect(ctx()), {
    instanceOf: CollectorError,
  });
  t.is(only?.code, 'ERR_CONFIG');
  t.regex(only?.message ?? '', /OK_TOKEN_DZR/);
  t.notRegex(only?.message ?? '', /OK_APPLICATION_KEY/);
  t.is(server.requests.length, 0);
});

test('config defaults and validation', (t) => {
  const parsed = okSourceSchema.parse({ id: 'ok-dzr', type: 'ok', groupIds: [53038939046008] });
  t.deepEqual(parsed.groupIds, [DZR]);
  t.is(parsed.maxPages, 5);
  t.is(parsed.count, 20);
  t.is(parsed.applicationKeyEnv, 'OK_APPLICATION_KEY');
  t.is(parsed.secretKeyEnv, 'OK_APPLICATION_SECRET_KEY');
  t.is(parsed.accessTokenEnv, 'OK_ACCESS_TOKEN');
  t.false(okSourceSchema.safeParse({ id: 'ok-dzr', type: 'ok', groupIds: [] }).success);
  t.false(okSourceSchema.safeParse({ id: 'ok-dzr', type: 'ok', groupIds: ['ok.ru/dzerzhinsk'] }).success);
});
