import test from 'ava';
import { ConfigError } from '../core/errors.js';
import { loadSourcesConfig, parseSourcesConfig } from './config.js';

test('the example sources file in the repository is valid', (t) => {
  const config = loadSourcesConfig(new URL('../sources.example.yaml', import.meta.url).pathname);
  t.deepEqual(
    config.sources.map((s) => s.type),
    ['vk', 'vk', 'ok', 'telegram', 'rss', 'html'],
  );
  t.is(config.http.retries, 3);
  t.is(config.pacing, null);
});

test('errors name the source and the field, and say what was expected', (t) => {
  const error = t.throws(
    () =>
      parseSourcesConfig(
        {
          sources: [
            { id: 'tg-a', type: 'telegram', channel: 'ok_channel' },
            { id: 'tg-a', type: 'telegram', channel: 'another_one' },
            { id: 'x', type: 'mastodon' },
            { type: 'rss', url: 'not a url' },
          ],
        },
        'sources.yaml',
      ),
    { instanceOf: ConfigError },
  );
  t.regex(error?.message ?? '', /^Invalid sources file sources\.yaml: /);
  t.regex(error?.message ?? '', /sources\[2\] \(id "x"\)\.type/);
  t.regex(error?.message ?? '', /sources\[3\]\.id/);
  t.regex(error?.message ?? '', /sources\[3\]\.url/);
  t.regex(error?.message ?? '', /sources \(id "tg-a"\): duplicate source id/);
});

test('unknown top-level keys and an empty list are refused', (t) => {
  t.throws(() => parseSourcesConfig({ sources: [], proxies: 1 }, 's.yaml'), { message: /sources must list at least one source/ });
  t.throws(() => parseSourcesConfig({ sources: [{ id: 'a', type: 'telegram', channel: 'abcde' }], proxy: 'x' }, 's.yaml'), { message: /proxy/ });
});
