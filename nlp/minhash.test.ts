import test from 'ava';
import { createBaselineToolkit } from './index.js';
import { BANDS, NUM_HASHES } from './minhash.js';

const toolkit = createBaselineToolkit();
const fp = toolkit.fingerprinter;
const sig = (text: string): Uint32Array => fp.signature(toolkit.normalizer.normalize(text));

const original = 'Жители дома 5 на улице Ленина уже третий день сидят без горячей воды, управляющая компания не отвечает на звонки';

test('signature has 64 hashes and 16 short band keys', (t) => {
  const s = sig(original);
  t.is(s.length, NUM_HASHES);
  const bands = fp.bands(s);
  t.is(bands.length, BANDS);
  bands.forEach((b, i) => t.regex(b, new RegExp(`^b${i}:[0-9a-f]{8}$`)));
});

test('signatures are deterministic', (t) => {
  t.deepEqual(sig(original), sig(original));
});

test('a repost with emoji, hashtags, URL and mentions is a near-duplicate', (t) => {
  const copy = `😡😡 ${original.toUpperCase()}!!! #ЖКХ #НижнийНовгород https://vk.com/wall-1_1 @nn_overheard 👉`;
  const sim = fp.similarity(sig(original), sig(copy));
  t.true(sim > 0.8, `similarity ${sim}`);
});

test('a lightly edited copy shares band keys', (t) => {
  const edited = 'Жители дома 5 на улице Ленина уже третий день сидят без горячей воды, управляющая компания не отвечает на звонки. Помогите!';
  const a = sig(original);
  const b = sig(edited);
  t.true(fp.similarity(a, b) > 0.7, `similarity ${fp.similarity(a, b)}`);
  const shared = fp.bands(a).filter((k) => fp.bands(b).includes(k));
  t.true(shared.length > 0);
});

test('unrelated posts have low similarity and share no band keys', (t) => {
  const other = 'На перекрёстке Московского шоссе и Коминтерна не работает светофор, постоянно аварийные ситуации';
  const a = sig(original);
  const b = sig(other);
  t.true(fp.similarity(a, b) < 0.2, `similarity ${fp.similarity(a, b)}`);
  t.deepEqual(fp.bands(a).filter((k) => fp.bands(b).includes(k)), []);
});

test('empty docs produce no band keys', (t) => {
  t.deepEqual(fp.bands(sig('')), []);
  t.deepEqual(fp.bands(sig('😡 #ЖКХ https://vk.com')), []);
});
