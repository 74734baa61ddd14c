import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { generateTinyModel } from '../nlp/transformer/tiny/generate.js';
import { analyzeLines, createAnalyzer } from './analyze.js';
import { createToolkit, disposeToolkit } from './runtime.js';

// A retelling in other word order: MinHash sees other bigrams (similarity 0.28), while the tiny
// model's embeddings stay close (cosine 0.97). A real encoder does the same for synonyms.
const original = 'Третий день нет горячей воды на улице Белинского, д. 32, управляющая компания молчит';
const retold = 'Белинского 32 воды горячей нет третий день компания управляющая молчит';
const other = 'Огромная яма на дороге у дома 5 на Ленина, колесо пробил';
const lines = [original, retold, other].map((text, i) => JSON.stringify({ id: `p${i}`, text, source: 'vk-test', published_at: `2026-11-20T0${i}:00:00Z` }));

const storiesWith = async (env: Record<string, string>) => {
  const config = loadConfig({ env: { RADAR_CLASSIFIER: 'baseline', ...env }, overrides: { logLevel: 'silent' } });
  const nlp = createToolkit(config);
  try {
    const out = await analyzeLines(createAnalyzer({ config, nlp, logger: silentLogger }), lines);
    const lexical = nlp.fingerprinter.similarity(nlp.fingerprinter.signature(nlp.normalizer.normalize(original)), nlp.fingerprinter.signature(nlp.normalizer.normalize(retold)));
    return { stories: out.map((o) => o.story_id), lexical, threshold: config.dedup.storySimilarity };
  } finally {
    await disposeToolkit(nlp);
  }
};

test('with an encoder, a retelling joins the story of the original through its embedding; without one it does not', async (t) => {
  const dir = generateTinyModel(join(mkdtempSync(join(tmpdir(), 'radar-semantic-')), 'tiny'));
  const classical = await storiesWith({});
  t.true(classical.lexical < classical.threshold, `MinHash similarity ${classical.lexical} must stay under the story threshold for this test to mean anything`);
  t.not(classical.stories[0], classical.stories[1]);
  const semantic = await storiesWith({ RADAR_ENCODER: `transformer:${dir}` });
  t.is(semantic.stories[0], semantic.stories[1]);
  t.not(semantic.stories[0], semantic.stories[2]);
});
