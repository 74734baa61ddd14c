import { readFileSync, readdirSync } from 'node:fs';
import test from 'ava';
import { generateCorpus } from '../bench/corpus.js';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { analyzeLines, createAnalyzer } from './analyze.js';
import { createToolkit } from './runtime.js';

const config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } });
const nlp = createToolkit(config);

const analyzeAll = async (lines: readonly string[], backend: 'sqlite' | 'memory') => {
  const store = backend === 'sqlite' ? new SqliteStore({ path: ':memory:', analyzeQuery: (q) => nlp.searchTokens(q) }) : null;
  const analyzer = createAnalyzer({ config, nlp, logger: silentLogger, ...(store ? { dedupIndex: store } : {}) });
  const outputs = await analyzeLines(analyzer, lines);
  await store?.close();
  return outputs;
};

/** Groups as sets of member ids, so that two runs compare whatever ids they minted. */
const partition = (rows: readonly { id: string }[], key: (row: never) => string | null): string[] => {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const k = key(row as never);
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), row.id]);
  }
  return [...groups.values()].map((g) => g.sort().join(',')).sort();
};

test('the in-memory dedup index gives the same stories and incidents as the SQLite store', async (t) => {
  const demo = readdirSync(new URL('../fixtures/demo/', import.meta.url))
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(new URL(`../fixtures/demo/${f}`, import.meta.url), 'utf8').trim().split('\n'))
    .map((line) => {
      const post = JSON.parse(line) as { id: string; source: string };
      return JSON.stringify({ ...post, id: `${post.source}-${post.id}` });
    });
  const generated = generateCorpus(1_500, 3).map((p) => JSON.stringify(p));
  const lines = [...demo, ...generated];
  const [sqlite, memory] = await Promise.all([analyzeAll(lines, 'sqlite'), analyzeAll(lines, 'memory')]);
  t.is(sqlite.length, lines.length);
  t.deepEqual(partition(memory, (r: { story_id: string }) => r.story_id), partition(sqlite, (r: { story_id: string }) => r.story_id));
  t.deepEqual(partition(memory, (r: { incident_id: string | null }) => r.incident_id), partition(sqlite, (r: { incident_id: string | null }) => r.incident_id));
  // The partitions are not trivial: some stories and incidents do group several posts.
  t.true(partition(sqlite, (r: { story_id: string }) => r.story_id).some((g) => g.includes(',')));
  t.true(partition(sqlite, (r: { incident_id: string | null }) => r.incident_id).some((g) => g.includes(',')));
});
