import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { ConfigError } from '../../core/errors.js';
import { createClient } from './client.js';
import { classify, StoreUnavailableError, toStoreError } from './errors.js';

const tls = new URL('../../fixtures/elasticsearch/tls/', import.meta.url);
const caPath = new URL('ca.pem', tls).pathname;

/** A real server on 127.0.0.1 answering like Elasticsearch's root endpoint and recording headers. */
const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

const answer = (seen: IncomingMessage['headers'][]) => (req: IncomingMessage, res: ServerResponse) => {
  seen.push(req.headers);
  res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
  res.end(JSON.stringify({ name: 'test', cluster_name: 'radar-test', version: { number: '8.19.0' }, tagline: 'You Know, for Search' }));
};

test('an API key is sent as `Authorization: ApiKey …`', async (t) => {
  const seen: IncomingMessage['headers'][] = [];
  const server = createHttpServer(answer(seen));
  const port = await listen(server);
  t.teardown(() => server.close());
  const client = createClient({ url: `http://127.0.0.1:${port}`, apiKey: 'aWQ6c2VjcmV0', indexPrefix: 'radar-' });
  await client.info();
  t.is(seen[0]?.authorization, 'ApiKey aWQ6c2VjcmV0');
  await client.close();
});

test('a username and password are sent as basic auth', async (t) => {
  const seen: IncomingMessage['headers'][] = [];
  const server = createHttpServer(answer(seen));
  const port = await listen(server);
  t.teardown(() => server.close());
  const client = createClient({ url: `http://127.0.0.1:${port}`, username: 'radar', password: 'пароль', indexPrefix: 'radar-' });
  await client.info();
  t.is(seen[0]?.authorization, `Basic ${Buffer.from('radar:пароль').toString('base64')}`);
  await client.close();
});

test('ELASTICSEARCH_CA lets the client trust a cluster certificate signed by that CA', async (t) => {
  const seen: IncomingMessage['headers'][] = [];
  const server = createHttpsServer({ cert: readFileSync(new URL('server.pem', tls)), key: readFileSync(new URL('server-key.pem', tls)) }, answer(seen));
  const port = await listen(server);
  t.teardown(() => server.close());
  const trusting = createClient({ url: `https://127.0.0.1:${port}`, ca: caPath, indexPrefix: 'radar-' });
  t.like(await trusting.info(), { cluster_name: 'radar-test' });
  await trusting.close();
  const plain = createClient({ url: `https://127.0.0.1:${port}`, indexPrefix: 'radar-' }, { maxRetries: 0 });
  const error = await t.throwsAsync(plain.info());
  t.regex(error?.message ?? '', /certificate/i);
  t.is(classify(error).kind, 'tls');
  t.regex(toStoreError(error, 'reading the feed').message, /TLS certificate is not trusted .*Set ELASTICSEARCH_CA/);
  await plain.close();
});

test('an unreadable CA file is a configuration error naming the path', (t) => {
  t.throws(() => createClient({ url: 'https://127.0.0.1:9200', ca: '/nonexistent/ca.pem', indexPrefix: 'radar-' }), {
    instanceOf: ConfigError,
    message: /Cannot read ELASTICSEARCH_CA \/nonexistent\/ca\.pem: .*PEM file of the CA/,
  });
  t.throws(() => createClient({ indexPrefix: 'radar-' }), { instanceOf: ConfigError, message: /set ELASTICSEARCH_URL/ });
});

test('a refused connection is classified as unavailable, which the pipeline retries later', async (t) => {
  const server = createHttpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = createClient({ url: `http://127.0.0.1:${port}`, indexPrefix: 'radar-' }, { maxRetries: 0 });
  const error = await t.throwsAsync(client.info());
  t.is(classify(error).kind, 'unavailable');
  const wrapped = toStoreError(error, 'reading the feed');
  t.true(wrapped instanceof StoreUnavailableError);
  t.regex(wrapped.message, /^Elasticsearch is unavailable \(reading the feed\): .*ECONNREFUSED/);
  await client.close();
});
