import test, { type ExecutionContext } from 'ava';
import { z } from 'zod';
import type { CollectContext, CollectOutcome } from '../types.js';
import { HttpCollector } from './collector.js';
import { CollectorError, type CollectorErrorCode } from './errors.js';
import { createHttp, defaultHttpSettings } from './http.js';
import { HostQueues } from './rate-limits.js';
import { testHttpSettings, testQueues, withServer, type TestServer } from './test-server.js';

/** The smallest possible concrete collector: exposes the base class's fetchers. */
class Probe extends HttpCollector<null> {
  readonly type = 'html' as const;
  async collect(_ctx: CollectContext<null>): Promise<CollectOutcome<null>> {
    return { items: [], cursor: null, skipped: [] };
  }
  parseCursor(): null {
    return null;
  }
  json<S extends z.ZodType>(url: string, schema: S) {
    return this.fetchJson(url, schema);
  }
  text(url: string) {
    return this.fetchText(url);
  }
}

const probe = (server: TestServer) => new Probe('probe', createHttp(testHttpSettings, testQueues(), server.url));
const shape = z.object({ items: z.array(z.object({ id: z.number() })) });

const rejects = async (t: ExecutionContext, promise: Promise<unknown>, code: CollectorErrorCode, message?: RegExp) => {
  const error = await t.throwsAsync(promise, { instanceOf: CollectorError });
  t.is(error?.code, code);
  if (message) t.regex(error?.message ?? '', message);
  return error;
};

test('valid JSON is parsed and validated; the User-Agent is sent', withServer, { '/ok': { body: '{"items":[{"id":1}]}' } }, async (t, server) => {
  t.deepEqual(await probe(server).json('ok', shape), { items: [{ id: 1 }] });
});

test('a payload of the wrong shape names the field', withServer, { '/bad': { body: '{"items":[{"id":"x"}]}' } }, async (t, server) => {
  await rejects(t, probe(server).json('bad', shape), 'ERR_INVALID_PAYLOAD', /items\.0\.id: expected number/);
});

test('invalid JSON is ERR_INVALID_PAYLOAD', withServer, { '/x': { body: '<html>oops</html>' } }, async (t, server) => {
  await rejects(t, probe(server).json('x', shape), 'ERR_INVALID_PAYLOAD', /invalid JSON/);
});

test('a body cut off mid-transfer is ERR_TRUNCATED', withServer, { '/x': { body: JSON.stringify({ items: Array.from({ length: 50 }, (_, id) => ({ id })) }), truncate: true } }, async (t, server) => {
  await rejects(t, probe(server).json('x', shape), 'ERR_TRUNCATED');
});

for (const [status, code, disposition] of [
  [404, 'ERR_SOURCE_GONE', 'skip-source'],
  [410, 'ERR_SOURCE_GONE', 'skip-source'],
  [403, 'ERR_ACCESS_DENIED', 'skip-source'],
  [401, 'ERR_AUTH', 'fail-config'],
  [500, 'ERR_HTTP_STATUS', 'retry-later'],
] as const) {
  test(`HTTP ${status} is ${code} (${disposition})`, withServer, { '/x': { status, body: 'no' } }, async (t, server) => {
    const error = await rejects(t, probe(server).text('x'), code);
    t.is(error?.disposition, disposition);
    t.is(error?.status, status);
  });
}

test('5xx is retried and a later success wins', withServer, { '/x': [{ status: 503 }, { status: 502 }, { body: 'fine' }] }, async (t, server) => {
  t.is((await probe(server).text('x')).text, 'fine');
  t.is(server.requests.length, 3);
});

test('429 with a short Retry-After is waited out and retried', withServer, { '/x': [{ status: 429, headers: { 'retry-after': '0' } }, { body: 'after the pause' }] }, async (t, server) => {
  t.is((await probe(server).text('x')).text, 'after the pause');
  t.is(server.requests.length, 2);
});

test('429 with a Retry-After longer than we wait in-process is ERR_RATE_LIMITED carrying the pause', withServer, { '/x': { status: 429, headers: { 'retry-after': '3600' } } }, async (t, server) => {
  const error = await rejects(t, probe(server).text('x'), 'ERR_RATE_LIMITED');
  t.is(error?.retryAfterMs, 3_600_000);
  t.is(server.requests.length, 1, 'no retry when the server asks for an hour');
});

test('a server that never answers in time is ERR_TIMEOUT after retries', withServer, { '/x': { delayMs: 3_000, body: 'late' } }, async (t, server) => {
  await rejects(t, probe(server).text('x'), 'ERR_TIMEOUT');
  t.is(server.requests.length, 3);
});

test('a connection refused is ERR_NETWORK', async (t) => {
  const collector = new Probe('probe', createHttp({ ...testHttpSettings, retries: 0 }, testQueues(), 'http://127.0.0.1:9'));
  await rejects(t, collector.text('x'), 'ERR_NETWORK');
});

test('captcha pages are ERR_CAPTCHA even with status 200, and so is a 403 challenge', withServer, {
  '/a': { body: '<html><head><script src="https://www.google.com/recaptcha/api.js"></script></head><div class="g-recaptcha"></div></html>' },
  '/b': { status: 403, body: '<html><title>DDoS-Guard</title>Проверка браузера...</html>' },
}, async (t, server) => {
  await rejects(t, probe(server).text('a'), 'ERR_CAPTCHA');
  await rejects(t, probe(server).text('b'), 'ERR_CAPTCHA');
});

test('a login wall is ERR_LOGIN_WALL', withServer, { '/x': { body: '<form><input name="login"><input type="password" name="pass"></form>' } }, async (t, server) => {
  await rejects(t, probe(server).text('x'), 'ERR_LOGIN_WALL');
});

const cp1251 = (text: string): Buffer => {
  // Cyrillic А..я map to 0xC0..0xFF in windows-1251; ASCII stays itself.
  const bytes = [...text].map((ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    if (ch === 'ё') return 0xb8;
    if (ch === 'Ё') return 0xa8;
    throw new Error(`no cp1251 byte for ${ch}`);
  });
  return Buffer.from(bytes);
};

test('windows-1251 pages decode from the HTTP header, from <meta>, and from a lying UTF-8 header', withServer, {
  '/header': { headers: { 'content-type': 'text/html; charset=windows-1251' }, body: cp1251('<p>Прорыв трубы на улице Ленина</p>') },
  '/meta': { headers: { 'content-type': 'text/html' }, body: cp1251('<html><head><meta charset="windows-1251"></head><p>Нет света в Сормове</p></html>') },
  '/liar': { headers: { 'content-type': 'text/html; charset=utf-8' }, body: cp1251('<p>Ямы на дорогах Дзержинска, когда отремонтируют проезжую часть?</p>') },
}, async (t, server) => {
  const collector = probe(server);
  t.regex((await collector.text('header')).text, /Прорыв трубы на улице Ленина/);
  t.regex((await collector.text('meta')).text, /Нет света в Сормове/);
  const liar = await collector.text('liar');
  t.regex(liar.text, /Ямы на дорогах Дзержинска/);
  t.true(liar.charsetFallback);
});

test('every attempt waits for its host queue', async (t) => {
  const queues = new HostQueues({ intervalCap: 1, intervalMs: 300 });
  await queues.wait('example.org');
  let second = false;
  const pending = queues.wait('example.org').then(() => (second = true));
  await new Promise((r) => setImmediate(r));
  t.false(second, 'the second request of the interval waits');
  t.is(queues.queueFor('example.org').size + queues.queueFor('example.org').pending, 1);
  await queues.wait('other.example').then(() => t.pass('another host has its own queue'));
  queues.queueFor('example.org').clear();
  void pending;
});

test('the per-host limits table matches platforms first and links each limit', (t) => {
  const queues = new HostQueues();
  t.deepEqual(queues.limitFor('api.vk.com'), queues.limitFor('api.vk.com'));
  t.is(queues.limitFor('api.vk.com').intervalCap, 3);
  t.is(queues.limitFor('api.vk.com').intervalMs, 1_000);
  t.is(queues.limitFor('t.me').intervalMs, 2_000);
  t.is(queues.limitFor('nn.ru').intervalCap, 1);
});


test('tokens in the query never reach error messages', withServer, { '/method/wall.get': { status: 500, body: 'boom' } }, async (t, server) => {
  const error = await rejects(t, probe(server).text('method/wall.get?access_token=SECRET123&v=5.199'), 'ERR_HTTP_STATUS');
  t.false(JSON.stringify({ message: error?.message, url: error?.url, cause: String(error?.cause ?? '') }).includes('SECRET123'));
});

test('a JSON document cut off at its end is ERR_TRUNCATED, not merely invalid', withServer, { '/x': { body: '{"items":[{"id":1},{"id":2}' } }, async (t, server) => {
  await rejects(t, probe(server).json('x', shape), 'ERR_TRUNCATED');
});

test('the default HTTP settings build a client (got rejects out-of-range retry options at creation)', (t) => {
  t.notThrows(() => createHttp(defaultHttpSettings, new HostQueues(), 'https://api.vk.com/method/'));
});
