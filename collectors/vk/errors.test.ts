import test, { type ExecutionContext } from 'ava';
import { CollectorError, type CollectorErrorCode, type Disposition } from '../base/errors.js';
import { withServer, type Reply } from '../base/test-server.js';
import { calls, FakeWall, fileReply, makeCollector, pass, TOKEN } from './test-support.js';

const expectFailure = async (
  t: ExecutionContext,
  run: Promise<unknown>,
  code: CollectorErrorCode,
  disposition: Disposition,
): Promise<CollectorError> => {
  const error = await t.throwsAsync(run, { instanceOf: CollectorError });
  t.is(error?.code, code);
  t.is(error?.disposition, disposition);
  t.false(error?.message.includes(TOKEN) ?? true, 'the token never appears in an error');
  t.false(error?.url?.includes(TOKEN) ?? false, 'nor in its URL');
  return error as CollectorError;
};

const wallError = (code: number) => ({ '/method/wall.get': fileReply(`errors/error-${code}.json`) });

const vkCases: [number, CollectorErrorCode, Disposition, RegExp][] = [
  [5, 'ERR_AUTH', 'fail-config', /invalid access_token.*VK_SERVICE_TOKEN/],
  [29, 'ERR_RATE_LIMITED', 'retry-later', /Rate limit reached.*daily quota of wall\.get/],
  [14, 'ERR_CAPTCHA', 'skip-source', /Captcha needed/],
  [15, 'ERR_ACCESS_DENIED', 'skip-source', /only for community members.*public/],
  [18, 'ERR_SOURCE_GONE', 'skip-source', /deleted or banned.*remove the source/],
  [30, 'ERR_ACCESS_DENIED', 'skip-source', /This profile is private/],
  [10, 'ERR_PLATFORM', 'retry-later', /Internal server error.*retried later/],
  [100, 'ERR_CONFIG', 'fail-config', /owner_id not integer.*check ownerId/],
];

for (const [vkCode, code, disposition, message] of vkCases) {
  test(`VK error ${vkCode} → ${code}`, withServer, wallError(vkCode), async (t, server) => {
    const error = await expectFailure(t, pass(makeCollector(server)), code, disposition);
    t.regex(error.message, message);
    t.is(error.platformCode, vkCode);
    t.is(calls(server, 'wall.get').length, 1, 'VK errors other than 6 are not retried');
  });
}

test('VK error 6 is waited out and the call retried', withServer, {
  '/method/wall.get': [fileReply('errors/error-6.json'), fileReply('errors/error-6.json'), fileReply('wall-malformed.json')],
}, async (t, server) => {
  const outcome = await pass(makeCollector(server, { comments: { enabled: false } }));
  t.is(outcome.items.length, 2);
  t.is(calls(server, 'wall.get').length, 3);
});

test('VK error 6 that persists → ERR_RATE_LIMITED', withServer, wallError(6), async (t, server) => {
  const error = await expectFailure(t, pass(makeCollector(server)), 'ERR_RATE_LIMITED', 'retry-later');
  t.regex(error.message, /Too many requests per second.*3 times/);
  t.is(calls(server, 'wall.get').length, 3, 'first try and two retries');
});

const quotaWall = new FakeWall();
test('error 29 in the middle of a pass fails the whole pass (the cursor does not move)', withServer, {
  '/method/wall.get': (url: URL): Reply => (url.searchParams.get('offset') === '0' ? quotaWall.reply(url) : fileReply('errors/error-29.json')),
}, async (t, server) => {
  await expectFailure(t, pass(makeCollector(server)), 'ERR_RATE_LIMITED', 'retry-later');
});

test('HTTP 5xx then success: retried', withServer, {
  '/method/wall.get': [{ status: 502, body: 'Bad Gateway' }, { status: 503, body: '' }, fileReply('wall-malformed.json')],
}, async (t, server) => {
  const outcome = await pass(makeCollector(server, { comments: { enabled: false } }));
  t.is(outcome.items.length, 2);
  t.is(calls(server, 'wall.get').length, 3);
});

test('HTTP 5xx that persists → ERR_HTTP_STATUS', withServer, { '/method/wall.get': { status: 500, body: 'oops' } }, async (t, server) => {
  const error = await expectFailure(t, pass(makeCollector(server)), 'ERR_HTTP_STATUS', 'retry-later');
  t.is(error.status, 500);
});

test('HTTP 429 with a short Retry-After: waited out', withServer, {
  '/method/wall.get': [{ status: 429, headers: { 'retry-after': '0' }, body: '' }, fileReply('wall-malformed.json')],
}, async (t, server) => {
  const outcome = await pass(makeCollector(server, { comments: { enabled: false } }));
  t.is(outcome.items.length, 2);
});

test('HTTP 429 with a long Retry-After → ERR_RATE_LIMITED with the wait', withServer, {
  '/method/wall.get': { status: 429, headers: { 'retry-after': '3600' }, body: '' },
}, async (t, server) => {
  const error = await expectFailure(t, pass(makeCollector(server)), 'ERR_RATE_LIMITED', 'retry-later');
  t.is(error.retryAfterMs, 3_600_000);
});

test('invalid JSON → ERR_INVALID_PAYLOAD', withServer, { '/method/wall.get': { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Ошибка сервера</html>' } }, async (t, server) => {
  await expectFailure(t, pass(makeCollector(server)), 'ERR_INVALID_PAYLOAD', 'retry-later');
});

test('JSON of another shape → ERR_INVALID_PAYLOAD', withServer, { '/method/wall.get': { status: 200, body: '{"response":{"items":"none"}}' } }, async (t, server) => {
  const error = await expectFailure(t, pass(makeCollector(server)), 'ERR_INVALID_PAYLOAD', 'retry-later');
  t.regex(error.message, /wall\.get/);
});

test('a body cut off mid-transfer → ERR_TRUNCATED', withServer, { '/method/wall.get': { ...fileReply('wall.json'), truncate: true } }, async (t, server) => {
  await expectFailure(t, pass(makeCollector(server)), 'ERR_TRUNCATED', 'retry-later');
});

test('a complete response with half a JSON document → ERR_TRUNCATED', withServer, {
  '/method/wall.get': { status: 200, body: (fileReply('wall.json').body as string).slice(0, 500) },
}, async (t, server) => {
  await expectFailure(t, pass(makeCollector(server)), 'ERR_TRUNCATED', 'retry-later');
});

test('missing token → ERR_CONFIG naming the variable, nothing requested', withServer, {}, async (t, server) => {
  const error = await expectFailure(t, pass(makeCollector(server, { tokenEnv: 'VK_NN_TOKEN' }, { VK_SERVICE_TOKEN: TOKEN })), 'ERR_CONFIG', 'fail-config');
  t.regex(error.message, /VK_NN_TOKEN/);
  t.deepEqual(server.requests, []);
});

test('the token is sent as access_token with v=5.199', withServer, { '/method/wall.get': fileReply('wall-malformed.json') }, async (t, server) => {
  await pass(makeCollector(server, { comments: { enabled: false } }));
  const query = new URL(server.requests[0] ?? '', 'http://x').searchParams;
  t.is(query.get('access_token'), TOKEN);
  t.is(query.get('v'), '5.199');
  t.is(query.get('count'), '3');
});
