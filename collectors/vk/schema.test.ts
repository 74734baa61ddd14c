import test from 'ava';
import { CollectorError } from '../base/errors.js';
import { redacted } from './errors.js';
import { cleanText, toLocation } from './parse.js';
import { vkSourceSchema, vkTargetOf } from './schema.js';

const base = { id: 'vk-zhaloby-nn', type: 'vk' };

test('config defaults', (t) => {
  const config = vkSourceSchema.parse({ ...base, ownerId: -201234567 });
  t.like(config, { tokenEnv: 'VK_SERVICE_TOKEN', maxPages: 5, maxCatchUpPages: 50, pageSize: 100, comments: { enabled: true, windowHours: 72, maxPerPost: 100 } });
  t.deepEqual(vkTargetOf(config), { kind: 'wall', key: 'owner:-201234567', params: { owner_id: -201234567 } });
});

test('config: exactly one of ownerId, domain, search', (t) => {
  const both = vkSourceSchema.safeParse({ ...base, ownerId: -1, domain: 'zhaloby_nn' });
  t.false(both.success);
  t.regex(both.error?.issues[0]?.message ?? '', /exactly one of.*got ownerId and domain/);
  const none = vkSourceSchema.safeParse(base);
  t.regex(none.error?.issues[0]?.message ?? '', /exactly one of.*got none/);
  t.false(vkSourceSchema.safeParse({ ...base, ownerId: 0 }).success);
});

test('config: a pasted wall URL becomes the screen name', (t) => {
  const config = vkSourceSchema.parse({ ...base, domain: 'https://vk.com/zhaloby_nn/' });
  t.is(config.domain, 'zhaloby_nn');
  t.false(vkSourceSchema.safeParse({ ...base, domain: 'https://example.com/x y' }).success);
});

test('config: search needs both coordinates, radius needs a point', (t) => {
  t.true(vkSourceSchema.safeParse({ ...base, search: { q: 'нет воды', latitude: 56.3, longitude: 44 } }).success);
  const half = vkSourceSchema.safeParse({ ...base, search: { q: 'нет воды', latitude: 56.3 } });
  t.regex(half.error?.issues[0]?.message ?? '', /latitude and search.longitude go together/);
  t.false(vkSourceSchema.safeParse({ ...base, search: { q: 'нет воды', radius: 1000 } }).success);
  t.false(vkSourceSchema.safeParse({ ...base, search: { q: '  ' } }).success);
});

test('text: mentions, <br>, entities', (t) => {
  t.is(cleanText('[id6099|Дмитрий], посмотрите<br>дом 5 &quot;Б&quot; &amp; двор &#10071;'), 'Дмитрий, посмотрите\nдом 5 "Б" & двор ❗');
  t.is(cleanText('[club1|Администрация] и [https://vk.com/nnov|сайт]'), 'Администрация и сайт');
});

test('geo: "lat lon" string, object, zero point, place point', (t) => {
  t.deepEqual(toLocation({ coordinates: '56.3 44.0' }), { lat: 56.3, lon: 44 });
  t.deepEqual(toLocation({ coordinates: { latitude: 56.3, longitude: 44 } }), { lat: 56.3, lon: 44 });
  t.is(toLocation({ coordinates: '0 0' }), undefined);
  t.is(toLocation({ coordinates: 'сто двести' }), undefined);
  t.deepEqual(toLocation({ place: { title: 'Кремль', latitude: 56.328, longitude: 44.003 } }), { lat: 56.328, lon: 44.003, address: 'Кремль' });
});

test('errors: the token is scrubbed from message and URL', (t) => {
  const error = new CollectorError('ERR_INVALID_PAYLOAD', 'invalid JSON from http://x/method/wall.get?owner_id=1&access_token=secret123&v=5.199', {
    url: 'http://x/method/wall.get?access_token=secret123',
    status: 200,
  });
  const clean = redacted(error, 'secret123');
  t.is(clean.message, 'invalid JSON from http://x/method/wall.get?owner_id=1&access_token=***&v=5.199');
  t.is(clean.url, 'http://x/method/wall.get?access_token=***');
  t.is(clean.code, 'ERR_INVALID_PAYLOAD');
  t.is(clean.status, 200);
});
