import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { ConfigError } from '../core/errors.js';
import { openStore } from './index.js';

const analyzeQuery = (text: string): string[] => text.split(' ');

/** A port on 127.0.0.1 that nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

test('SQLite without ELASTICSEARCH_URL; Elasticsearch with it, its local raw store working while the cluster is unreachable', async (t) => {
  const sqlite = openStore({ path: ':memory:', analyzeQuery, elasticsearch: { indexPrefix: 'radar-' } });
  t.is(sqlite.kind, 'sqlite');
  await sqlite.close();
  const es = openStore({ path: ':memory:', analyzeQuery, elasticsearch: { url: `http://127.0.0.1:${await closedPort()}`, indexPrefix: 'radar-' } });
  t.is(es.kind, 'elasticsearch');
  const saved = await es.savePosts([{ source: 'api', externalId: '1', text: 'Яма', author: null, url: null, publishedAt: null, location: null, raw: null }]);
  t.deepEqual(saved.inserted.map((p) => p.id), ['api:1'], 'accepted into the local raw store');
  t.deepEqual((await es.pendingPosts(10)).posts.map((p) => p.id), ['api:1']);
  await t.throwsAsync(es.stats(), { message: /^Elasticsearch is unavailable \(reading index aliases\): .*ECONNREFUSED/ });
  await es.close();
});

test('a wrong Elasticsearch setting fails when the store is opened, not at its first request', (t) => {
  t.throws(() => openStore({ path: ':memory:', analyzeQuery, elasticsearch: { url: 'https://127.0.0.1:9200', ca: '/nonexistent/ca.pem', indexPrefix: 'radar-' } }), {
    instanceOf: ConfigError,
    message: /Cannot read ELASTICSEARCH_CA \/nonexistent\/ca\.pem/,
  });
});
