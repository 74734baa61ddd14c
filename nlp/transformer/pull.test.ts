import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { ModelRegistry } from '../model/registry.js';
import { TransformerEncoder } from './encoder.js';
import { bypassesProxy, proxyFor } from './proxy.js';
import { pullModel } from './pull.js';
import { startHubServer } from './tiny/hub-server.js';
import { generateTinyModel } from './tiny/generate.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'radar-pull-'));
const source = generateTinyModel(join(tmp(), 'tiny'));
writeFileSync(join(source, 'README.md'), '---\nlicense: mit\n---\nRadar tiny test model\n');
const nerSource = generateTinyModel(join(tmp(), 'ner'), { kind: 'token-classification' });

const hub = await startHubServer([
  { id: 'radar/tiny-bert', dir: source },
  { id: 'radar/tiny-ner', dir: nerSource },
]);
test.after.always(() => hub.close());

/** An HTTP proxy as hpagent talks to it (CONNECT tunnels, like for the real https hub), logging each tunnel. */
const startProxy = async () => {
  const seen: string[] = [];
  const tunnels = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      // Tunnels are not HTTP connections: keep-alive agents would hold them open for seconds.
      for (const socket of tunnels) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

const env = { HF_ENDPOINT: hub.url };

test('pull downloads a model in the hub layout, verifies it, installs it and records it', async (t) => {
  const modelsDir = tmp();
  const lines: string[] = [];
  const result = await pullModel({ id: 'radar/tiny-bert', modelsDir, env, log: (l) => lines.push(l) });
  t.is(result.dir, join(modelsDir, 'radar', 'tiny-bert'));
  t.is(result.spec, 'radar/tiny-bert');
  t.deepEqual(readdirSync(result.dir, { recursive: true, encoding: 'utf8' }).sort(), ['README.md', 'config.json', 'onnx', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  t.true(readFileSync(join(result.dir, 'onnx', 'model.onnx')).equals(readFileSync(join(source, 'onnx', 'model.onnx'))));
  t.true(lines.some((l) => /onnx\/model\.onnx: [\d,]+ bytes, verified/.test(l)));
  t.true(hub.requests.some((r) => r.startsWith('/cdn/')), 'weights came through the redirect, as from the real hub');
  t.deepEqual(readdirSync(modelsDir).sort(), ['radar', 'registry.json'], 'no staging folder is left behind');

  const [card] = new ModelRegistry(modelsDir).encoders();
  t.like(card, { id: 'radar/tiny-bert', revision: 'main', dir: 'radar/tiny-bert', task: 'feature-extraction', quantized: false });
  t.regex(card?.sha ?? '', /^[0-9a-f]{40}$/);
  t.is(card?.files.length, 5);
  // The recorded hash is the encoder's identity: the one a trained head is bound to.
  const encoder = new TransformerEncoder('radar/tiny-bert', { modelsDir, batchSize: 8, intraOpThreads: 1 });
  t.is(encoder.hash, card?.hash ?? 'no card');
  t.is(encoder.dir.modelId, 'radar/tiny-bert', 'loaded by its hub id under env.localModelPath');
  t.is((await encoder.embed(['нет горячей воды'], 'query'))[0]?.length, 64);
  await encoder.dispose();
});

test('a pulled e5 model gets its prefixes even under another directory name', async (t) => {
  const modelsDir = tmp();
  const e5 = await startHubServer([{ id: 'intfloat/multilingual-e5-small', dir: source }]);
  try {
    const result = await pullModel({ id: 'intfloat/multilingual-e5-small', modelsDir, env: { HF_ENDPOINT: e5.url }, out: join(modelsDir, 'encoder') });
    t.is(result.spec, 'encoder');
    const encoder = new TransformerEncoder('encoder', { modelsDir, batchSize: 8, intraOpThreads: 1 });
    t.deepEqual(encoder.dir.prompts, { query: 'query: ', passage: 'passage: ' }, 'known from the registry entry');
    await encoder.dispose();
  } finally {
    await e5.close();
  }
});

test('--quantized fetches the int8 export only, and a token-classification model is recorded as such', async (t) => {
  const modelsDir = tmp();
  const result = await pullModel({ id: 'radar/tiny-bert', quantized: true, modelsDir, env });
  t.true(existsSync(join(result.dir, 'onnx', 'model_quantized.onnx')));
  t.false(existsSync(join(result.dir, 'onnx', 'model.onnx')));
  t.like(result.card, { quantized: true });
  const ner = await pullModel({ id: 'radar/tiny-ner', modelsDir, env, out: join(modelsDir, 'ner') });
  t.like(ner.card, { task: 'token-classification', dir: 'ner' });
  t.deepEqual(new ModelRegistry(modelsDir).encoders().map((e) => e.dir), ['radar/tiny-bert', 'ner']);
});

test('a corrupted download fails its checksum and installs nothing', async (t) => {
  const modelsDir = tmp();
  // A hub of its own: the files it corrupts must not reach the other tests.
  const bad = await startHubServer([{ id: 'radar/tiny-bert', dir: source }]);
  const badEnv = { HF_ENDPOINT: bad.url };
  try {
    bad.corrupt.add('onnx/model.onnx');
    const error = await t.throwsAsync(pullModel({ id: 'radar/tiny-bert', modelsDir, env: badEnv }));
    t.regex(error?.message ?? '', /^onnx\/model\.onnx of radar\/tiny-bert@[0-9a-f]{40} failed its checksum: expected sha256 [0-9a-f]{64}, received [0-9a-f]{64}\. Nothing was installed/);
    t.deepEqual(readdirSync(modelsDir), [], 'no model folder, no staging folder, no registry entry');
    bad.corrupt.clear();
    bad.corrupt.add('tokenizer.json');
    await t.throwsAsync(pullModel({ id: 'radar/tiny-bert', modelsDir, env: badEnv }), { message: /^tokenizer\.json of radar\/tiny-bert@\w+ failed its checksum: expected git blob [0-9a-f]{40}/ });
    t.deepEqual(readdirSync(modelsDir), []);

    // A model already installed stays as it was when a later pull fails.
    bad.corrupt.clear();
    await pullModel({ id: 'radar/tiny-bert', modelsDir, env: badEnv });
    const installed = join(modelsDir, 'radar', 'tiny-bert', 'onnx', 'model.onnx');
    const before = readFileSync(installed);
    const registry = readFileSync(join(modelsDir, 'registry.json'), 'utf8');
    bad.corrupt.add('onnx/model.onnx');
    await t.throwsAsync(pullModel({ id: 'radar/tiny-bert', modelsDir, env: badEnv }), { message: /failed its checksum/ });
    t.true(readFileSync(installed).equals(before));
    t.is(readFileSync(join(modelsDir, 'registry.json'), 'utf8'), registry);
    t.deepEqual(readdirSync(join(modelsDir, 'radar')), ['tiny-bert'], 'no staging folder left');
  } finally {
    await bad.close();
  }
});

test('unknown models, missing exports and unreachable hubs are clear errors', async (t) => {
  const modelsDir = tmp();
  await t.throwsAsync(pullModel({ id: 'radar/nope', modelsDir, env }), { message: /Cannot list radar\/nope@main at http:\/\/127\.0\.0\.1:\d+ \(HTTP 404 .*check the hub id and --revision/ });
  await t.throwsAsync(pullModel({ id: '../etc', modelsDir, env }), { message: /Expected a hub id like intfloat\/multilingual-e5-small, got "\.\.\/etc"/ });
  const bare = join(tmp(), 'bare');
  generateTinyModel(bare, { quantized: false });
  const other = await startHubServer([{ id: 'radar/bare', dir: bare }]);
  try {
    await t.throwsAsync(pullModel({ id: 'radar/bare', quantized: true, modelsDir, env: { HF_ENDPOINT: other.url } }), {
      message: /radar\/bare has no onnx\/model_quantized\.onnx; ONNX files in the repository: onnx\/model\.onnx\. Try without --quantized/,
    });
  } finally {
    await other.close();
  }
  await t.throwsAsync(pullModel({ id: 'radar/tiny-bert', modelsDir, env: { HF_ENDPOINT: 'http://127.0.0.1:9' } }), { message: /Cannot reach http:\/\/127\.0\.0\.1:9 to list radar\/tiny-bert@main/ });
  t.deepEqual(readdirSync(modelsDir), []);
});

test('requests go through HTTP_PROXY unless NO_PROXY names the host', async (t) => {
  const proxy = await startProxy();
  try {
    const through = await pullModel({ id: 'radar/tiny-bert', modelsDir: tmp(), env: { ...env, HTTP_PROXY: proxy.url } });
    t.true(existsSync(join(through.dir, 'onnx', 'model.onnx')));
    t.true(proxy.seen.includes(new URL(hub.url).host), 'the hub was reached through a tunnel of the proxy');
    const count = proxy.seen.length;
    await pullModel({ id: 'radar/tiny-bert', modelsDir: tmp(), env: { ...env, HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
    t.is(proxy.seen.length, count, 'NO_PROXY hosts are reached directly');
  } finally {
    await proxy.close();
  }
});

test('proxy selection follows the usual environment rules', (t) => {
  const url = new URL('https://huggingface.co/api/models/x');
  t.is(proxyFor(url, { HTTPS_PROXY: 'http://proxy:3128' }), 'http://proxy:3128');
  t.is(proxyFor(url, { https_proxy: 'http://lower:3128' }), 'http://lower:3128');
  t.is(proxyFor(url, { HTTP_PROXY: 'http://plain:3128' }), 'http://plain:3128', 'https falls back to HTTP_PROXY');
  t.is(proxyFor(new URL('http://mirror.local/x'), { HTTPS_PROXY: 'http://proxy:3128' }), null, 'http targets use HTTP_PROXY only');
  t.is(proxyFor(url, {}), null);
  t.true(bypassesProxy(url, { NO_PROXY: '.huggingface.co' }));
  t.true(bypassesProxy(url, { no_proxy: 'example.org, huggingface.co' }));
  t.true(bypassesProxy(new URL('https://cdn-lfs.huggingface.co/x'), { NO_PROXY: 'huggingface.co' }), 'subdomains too');
  t.false(bypassesProxy(new URL('https://nothuggingface.co/x'), { NO_PROXY: 'huggingface.co' }));
  t.true(bypassesProxy(url, { NO_PROXY: '*' }));
  t.false(bypassesProxy(url, { NO_PROXY: 'huggingface.co:8443' }), 'a port must match');
  t.true(bypassesProxy(url, { NO_PROXY: 'huggingface.co:443' }));
});
