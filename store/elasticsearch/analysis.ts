/**
 * Russian text analysis from parts every Elasticsearch ships with (no plugins): the standard
 * tokenizer, lower-casing, ё folded to е before tokenizing (people write both), Russian stop words
 * and the Snowball Russian stemmer. The `radar_folded` normalizer gives keyword fields the same
 * case and ё insensitivity for exact filters such as the municipality.
 */
import type { estypes } from '@elastic/elasticsearch';

export const RUSSIAN_ANALYZER = 'radar_russian';
export const FOLDED_NORMALIZER = 'radar_folded';

export const analysisSettings: estypes.IndicesIndexSettingsAnalysis = {
  char_filter: {
    radar_yo: { type: 'mapping', mappings: ['ё => е', 'Ё => Е'] },
  },
  filter: {
    radar_russian_stop: { type: 'stop', stopwords: '_russian_' },
    radar_russian_stemmer: { type: 'stemmer', language: 'russian' },
  },
  analyzer: {
    [RUSSIAN_ANALYZER]: {
      type: 'custom',
      char_filter: ['radar_yo'],
      tokenizer: 'standard',
      filter: ['lowercase', 'radar_russian_stop', 'radar_russian_stemmer'],
    },
  },
  normalizer: {
    [FOLDED_NORMALIZER]: { type: 'custom', char_filter: ['radar_yo'], filter: ['lowercase'] },
  },
};
