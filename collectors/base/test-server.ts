/**
 * Test support: a real HTTP server on 127.0.0.1 per test, serving recorded payloads from
 * `fixtures/`, with scripted failures (status codes, delays, cut-off bodies, wrong charsets).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import test, { type ExecutionContext } from 'ava';
import type { HttpSettings } from './http.js';
import { HostQueues } from './rate-limits.js';

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Wait this long before answering (timeouts). */
  readonly delayMs?: number;
  /** Announce the full length but send only half of the body, then drop the connection. */
  readonly truncate?: boolean;
}

/** A reply, a list of replies given in turn (the last one repeats), or a function of the request. */
export type Route = Reply | readonly Reply[] | ((url: URL, req: IncomingMessage) => Reply);

/** Keys are paths, optionally with a query string that must match exactly (`/s/channel?before=10`). */
export type Routes = Record<string, Route>;

export interface TestServer {
  readonly url: string;
  /** Every request received, as path + query. */
  readonly requests: string[];
  close(): Promise<void>;
}

const fixturesRoot = new URL('../../fixtures/', import.meta.url);

/** Reads a recorded payload from `fixtures/`. */
export const fixture = (path: string): Buffer => readFileSync(new URL(path, fixturesRoot));
export const fixtureText = (path: string): string => fixture(path).toString('utf8');

const send = async (res: ServerResponse, reply: Reply): Promise<void> => {
  if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : (reply.body ?? Buffer.alloc(0));
  res.writeHead(reply.status ?? 200, { 'content-length': String(body.length), ...reply.headers });
  if (reply.truncate) {
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    // Let the headers and the first half arrive before the connection drops, as on a real network.
    setTimeout(() => res.socket?.destroy(), 30);
    return;
  }
  res.end(body);
};

export const startTestServer = async (routes: Routes): Promise<TestServer> => {
  const requests: string[] = [];
  const counters = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const key = routes[url.pathname + url.search] !== undefined ? url.pathname + url.search : url.pathname;
    const route = routes[key];
    if (route === undefined) {
      void send(res, { status: 404, body: `no route for ${url.pathname}${url.search}` });
      return;
    }
    let reply: Reply;
    if (typeof route === 'function') reply = route(url, req);
    else if (Array.isArray(route)) {
      const n = counters.get(key) ?? 0;
      counters.set(key, n + 1);
      reply = route[Math.min(n, route.length - 1)] as Reply;
    } else reply = route as Reply;
    void send(res, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Fast settings for tests: real retries and timeouts, short pauses. */
export const testHttpSettings: HttpSettings = {
  userAgent: 'RadarBot/test',
  timeoutMs: 1_000,
  retries: 2,
  backoffLimitMs: 5,
  maxRetryAfterMs: 50,
};

/** No pacing in tests (pacing itself is tested in rate-limits.test.ts). */
export const testQueues = (): HostQueues => new HostQueues({ intervalCap: 1_000, intervalMs: 1 });

/** ava macro: starts a server with `routes` for the test and always closes it. */
export const withServer = test.macro(async (t: ExecutionContext, routes: Routes, run: (t: ExecutionContext, server: TestServer) => Promise<void>) => {
  const server = await startTestServer(routes);
  try {
    await run(t, server);
  } finally {
    await server.close();
  }
});
