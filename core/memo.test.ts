import test from 'ava';
import { memoByKey } from './memo.js';

test('a remembered function computes each key once and starts over when full', (t) => {
  const calls: string[] = [];
  const lengthOf = memoByKey((key) => {
    calls.push(key);
    return key.length;
  }, 2);
  t.is(lengthOf('ab'), 2);
  t.is(lengthOf('ab'), 2);
  t.deepEqual(calls, ['ab']);
  lengthOf('abc');
  lengthOf('abcd');
  t.is(lengthOf('ab'), 2);
  t.deepEqual(calls, ['ab', 'abc', 'abcd', 'ab'], 'the third key cleared the first two');
});
