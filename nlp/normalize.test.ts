import test from 'ava';
import { BaselineNormalizer } from './normalize.js';
import { createBaselineToolkit } from './index.js';

const normalizer = new BaselineNormalizer();
const norms = (text: string): string[] => normalizer.normalize(text).tokens.map((t) => t.norm);

test('broken HTML: entities decoded, br becomes a line break, script dropped, unclosed tag keeps following text', (t) => {
  const doc = normalizer.normalize('<p>Нет&nbsp;воды &quot;опять&quot; &#171;УК&#187;<br>вторая строка<script>alert("x")</script> <b>жирно<i class="x" хвост текста');
  t.is(doc.clean, 'Нет воды "опять" «УК»\nвторая строка жирно хвост текста');
  t.false(doc.clean.includes('alert'));
  t.false(doc.clean.includes('class'));
  t.deepEqual(doc.sentences.map((s) => s.text), ['Нет воды "опять" «УК»', 'вторая строка жирно хвост текста']);
});

test('a stray < that is not a tag is kept', (t) => {
  t.is(normalizer.normalize('люблю свой город <3 и 2 < 5').clean, 'люблю свой город <3 и 2 < 5');
});

test('clean keeps case, punctuation and emoji; token spans slice back to the word', (t) => {
  const doc = normalizer.normalize('  ОПЯТЬ   нет воды!!! 😡\n\n\nКогда   дадут?  ');
  t.is(doc.clean, 'ОПЯТЬ нет воды!!! 😡\nКогда дадут?');
  for (const token of doc.tokens) {
    t.is(doc.clean.slice(token.span.start, token.span.end).toLowerCase(), token.norm);
  }
  t.deepEqual(doc.tokens.map((x) => x.norm), ['опять', 'нет', 'воды', 'когда', 'дадут']);
});

test('latin look-alikes inside Cyrillic words are folded, ё becomes е, letter runs squeezed', (t) => {
  // "Нeт вoды" with Latin e and o, "MУCOP" with Latin M, C, O, P.
  t.deepEqual(norms('Нeт вoды, MУCOP, оооочень, ёлки, нееет'), ['нет', 'воды', 'мусор', 'очень', 'елки', 'нет']);
  t.deepEqual(norms('Wi-Fi 2000'), ['wi-fi', '2000'], 'pure Latin words and digits are left alone');
});

test('URLs, mentions and emoji are not tokens; hashtags give their words', (t) => {
  t.deepEqual(norms('смотрите https://vk.com/wall-1_2 и vk.com/nn @admin_nn 👍 #ЖКХ #НижнийНовгород'), [
    'смотрите', 'и', 'жкх', 'нижний', 'новгород',
  ]);
});

test('stems are shared between inflections', (t) => {
  const doc = normalizer.normalize('вода воды водой');
  t.is(new Set(doc.tokens.map((x) => x.stem)).size, 1);
});

test('sentences: abbreviations, initials, numbers and dates do not split', (t) => {
  const doc = normalizer.normalize(
    'Жители ул. Ленина, д. 5, корп. 2 и пр. Гагарина жалуются. Звонили в т.ч. в Н.Новгород и А. С. Иванову 12.11.2026 в 8.30 т.е. утром. Ответа нет',
  );
  t.deepEqual(doc.sentences.map((s) => s.text), [
    'Жители ул. Ленина, д. 5, корп. 2 и пр. Гагарина жалуются.',
    'Звонили в т.ч. в Н.Новгород и А. С. Иванову 12.11.2026 в 8.30 т.е. утром.',
    'Ответа нет',
  ]);
});

test('sentences: social-media punctuation, missing spaces, emoji and line breaks', (t) => {
  const doc = normalizer.normalize('нет воды!!!Сколько можно?! Позвонили в УК...Никто не берёт трубку.Ужас 😡 Завтра пойдём в администрацию\nвсё');
  t.deepEqual(doc.sentences.map((s) => s.text), [
    'нет воды!!!',
    'Сколько можно?!',
    'Позвонили в УК...',
    'Никто не берёт трубку.',
    'Ужас 😡',
    'Завтра пойдём в администрацию',
    'всё',
  ]);
  for (const s of doc.sentences) t.is(doc.clean.slice(s.span.start, s.span.end), s.text);
});

test('"и т.д." may end a sentence, "г." before a city name may not', (t) => {
  const doc = normalizer.normalize('Пакеты, бутылки и т.д. Когда уберут? Живу в г. Бор уже давно');
  t.deepEqual(doc.sentences.map((s) => s.text), ['Пакеты, бутылки и т.д.', 'Когда уберут?', 'Живу в г. Бор уже давно']);
});

test('an ellipsis before a lower-case word is a pause, not a boundary', (t) => {
  t.is(normalizer.normalize('ну вот... опять нет света').sentences.length, 1);
});

test('empty, whitespace-only, markup-only and huge inputs do not throw', (t) => {
  for (const input of ['', '   \n\t ', '<br><br>', '<<<>>>', '&', '😡😡😡', '<script>']) {
    const doc = normalizer.normalize(input);
    t.true(Array.isArray(doc.tokens));
  }
  const huge = 'Во дворе дома 5 по ул. Ленина не вывозят мусор!!! <b>Сколько можно</b> 😡 '.repeat(1400);
  t.true(huge.length > 100_000);
  const doc = normalizer.normalize(huge);
  t.true(doc.tokens.length > 10_000);
  t.true(doc.sentences.length > 1000);
  const toolkit = createBaselineToolkit();
  const segments = toolkit.splitter.split(doc);
  t.is(toolkit.classifier.classify(doc, segments).length, segments.length);
  t.true(toolkit.extractor.extract(doc).addresses.length > 100);
});
