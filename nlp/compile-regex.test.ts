import test from 'ava';
import { compileOnFirstUse } from './compile-regex.js';

test('compiling up front changes neither matches nor lastIndex', (t) => {
  const re = /[Уу]л\.\s*\p{Lu}\p{Ll}+/gu;
  const texts = ['нет воды на ул. Ленина и ул. Мира', 'ok', 'ул.Горького'];
  const before = texts.map((text) => text.match(re));
  const compile = compileOnFirstUse([re]);
  re.lastIndex = 3;
  compile('latin only, stays on the usual path');
  compile(texts[0] as string);
  compile(texts[1] as string);
  t.is(re.lastIndex, 3);
  t.deepEqual(texts.map((text) => text.match(re)), before);
  t.deepEqual(before[0], ['ул. Ленина', 'ул. Мира']);
});
