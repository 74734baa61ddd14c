import test from 'ava';
import { defaultConfig } from '../core/config.js';
import { parseSourcesConfig } from '../collectors/config.js';
import { withSourceAreas } from './sources.js';

test('a source\'s municipality becomes its area for incident merging; config entries win', (t) => {
  const sources = parseSourcesConfig(
    {
      sources: [
        { id: 'vk-bor', type: 'rss', url: 'https://bor.example/rss', municipality: 'Бор' },
        { id: 'vk-nn', type: 'rss', url: 'https://nn.example/rss', municipality: 'Нижний Новгород' },
        { id: 'rss-any', type: 'rss', url: 'https://any.example/rss' },
      ],
    },
    'test',
  );
  const config = withSourceAreas({ ...defaultConfig, dedup: { ...defaultConfig.dedup, sourceAreas: { 'vk-nn': 'Дзержинск' } } }, sources);
  t.deepEqual(config.dedup.sourceAreas, { 'vk-bor': 'Бор', 'vk-nn': 'Дзержинск' });
  t.is(withSourceAreas(defaultConfig, null), defaultConfig);
});
