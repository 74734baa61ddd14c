import test from 'ava';
import { CORPUS_SOURCES, generateCorpus } from './corpus.js';

test('same seed gives the same corpus', (t) => {
  t.deepEqual(generateCorpus(500, 7), generateCorpus(500, 7));
  t.deepEqual(generateCorpus(50), generateCorpus(50, 1));
});

test('different seeds give different corpora', (t) => {
  const a = generateCorpus(200, 1).map((p) => p.text);
  const b = generateCorpus(200, 2).map((p) => p.text);
  t.notDeepEqual(a, b);
  t.true(a.filter((text, i) => text !== b[i]).length > 150);
});

test('count is honoured', (t) => {
  for (const n of [0, 1, 2, 137, 1000]) t.is(generateCorpus(n, 3).length, n);
  t.throws(() => generateCorpus(-1), { instanceOf: RangeError });
  t.throws(() => generateCorpus(1.5), { instanceOf: RangeError });
});

test('a shorter corpus is a prefix of a longer one', (t) => {
  t.deepEqual(generateCorpus(100, 9), generateCorpus(300, 9).slice(0, 100));
});

test('every field is valid', (t) => {
  const posts = generateCorpus(3000, 11);
  const ids = new Set<string>();
  const start = Date.parse('2026-11-01T00:00:00Z');
  const end = start + 30 * 24 * 3600 * 1000;
  for (const p of posts) {
    t.true(typeof p.id === 'string' && p.id.length > 0);
    t.false(ids.has(p.id), `duplicate id ${p.id}`);
    ids.add(p.id);
    t.true(typeof p.text === 'string' && p.text.trim().length > 0, `empty text in ${p.id}`);
    t.false(p.text.includes('{'), `unfilled slot in ${p.id}: ${p.text}`);
    t.true(CORPUS_SOURCES.includes(p.source ?? ''), `unknown source ${p.source}`);
    t.regex(p.url ?? '', /^https:\/\//);
    t.true(typeof p.author === 'string' && p.author.length > 0);
    t.regex(p.published_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const ms = Date.parse(p.published_at ?? '');
    t.true(ms >= start && ms < end, `published_at out of range: ${p.published_at}`);
    if (p.location) {
      t.true(p.location.lat > 54.4 && p.location.lat < 58.1 && p.location.lon > 41.8 && p.location.lon < 47.8, `location outside the oblast in ${p.id}`);
      t.deepEqual(Object.keys(p.location).filter((k) => !['lat', 'lon', 'address'].includes(k)), []);
    }
  }
});

test('the corpus is varied', (t) => {
  const posts = generateCorpus(5000, 5);
  const lengths = posts.map((p) => p.text.length);
  t.true(lengths.some((n) => n < 60), 'has one-liners');
  t.true(lengths.some((n) => n > 1000), 'has long posts');
  t.true(Math.max(...lengths) <= 1700, 'no post is far beyond ~1,500 characters');
  t.true(new Set(posts.map((p) => p.source)).size === CORPUS_SOURCES.length);
  t.true(new Set(posts.map((p) => p.text)).size > posts.length * 0.75, 'mostly distinct texts');
  const reposts = posts.filter((p) => p.text.startsWith('Репост из') || p.text.startsWith('Пересылаю')).length;
  t.true(reposts > 50, 'has near-duplicate copies');
  t.true(posts.some((p) => /Продам|Спасибо|Подскажите/i.test(p.text)), 'has non-problems');
  t.true(posts.some((p) => p.location !== undefined) && posts.some((p) => p.location === undefined));
});
