/**
 * Test support: a real HTTP server on 127.0.0.1 that serves model directories in the Hugging Face
 * Hub's layout: `GET /api/models/{id}/revision/{rev}?blobs=true` lists the files with sizes, git blob
 * ids and (for weights) LFS sha256s; `GET /{id}/resolve/{commit}/{file}` serves them, weights through
 * a redirect to a "CDN" path as the real hub does. Files can be served corrupted.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';

export interface HubRepo {
  /** Hub id, `org/name`. */
  readonly id: string;
  readonly dir: string;
  readonly commit?: string;
}

export interface HubServer {
  readonly url: string;
  /** Every request received, as path + query. */
  readonly requests: string[];
  /** Files (repo-relative) served with one byte flipped. */
  readonly corrupt: Set<string>;
  close(): Promise<void>;
}

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split(sep).join('/'))
    .sort();

const isLfs = (file: string): boolean => file.endsWith('.onnx') || file.endsWith('.onnx_data');

const sibling = (dir: string, file: string) => {
  const bytes = readFileSync(join(dir, file));
  const blobId = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
  return isLfs(file)
    ? { rfilename: file, blobId, size: bytes.length, lfs: { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, pointerSize: 134 } }
    : { rfilename: file, blobId, size: bytes.length };
};

export const startHubServer = async (repos: readonly HubRepo[]): Promise<HubServer> => {
  const requests: string[] = [];
  const corrupt = new Set<string>();
  const byId = new Map(repos.map((r) => [r.id, { ...r, commit: r.commit ?? createHash('sha1').update(r.id).digest('hex') }]));
  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'application/json'): void => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const serveFile = (res: ServerResponse, repo: { dir: string }, file: string): void => {
    const bytes = Buffer.from(readFileSync(join(repo.dir, ...file.split('/'))));
    if (corrupt.has(file)) bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0xff;
    send(res, 200, bytes, 'application/octet-stream');
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    requests.push(`${url.pathname}${url.search}`);
    const path = url.pathname.split('/').map(decodeURIComponent);
    // /api/models/{org}/{name}/revision/{rev}
    if (path[1] === 'api' && path[2] === 'models' && path[5] === 'revision') {
      const repo = byId.get(`${path[3]}/${path[4]}`);
      if (!repo) return send(res, 404, JSON.stringify({ error: 'Repository not found' }));
      if (url.searchParams.get('blobs') !== 'true') return send(res, 400, JSON.stringify({ error: 'this test hub only answers ?blobs=true' }));
      return send(res, 200, JSON.stringify({ _id: 'x', id: repo.id, modelId: repo.id, sha: repo.commit, private: false, siblings: listFiles(repo.dir).map((f) => sibling(repo.dir, f)) }));
    }
    // /{org}/{name}/resolve/{commit}/{file...}
    if (path[3] === 'resolve') {
      const repo = byId.get(`${path[1]}/${path[2]}`);
      const file = path.slice(5).join('/');
      if (!repo || path[4] !== repo.commit || !listFiles(repo.dir).includes(file)) return send(res, 404, 'Entry not found', 'text/plain');
      if (isLfs(file)) {
        res.writeHead(302, { location: `/cdn/${encodeURIComponent(repo.id)}/${encodeURIComponent(file)}` });
        return res.end();
      }
      return serveFile(res, repo, file);
    }
    if (path[1] === 'cdn') {
      const repo = byId.get(path[2] ?? '');
      return repo ? serveFile(res, repo, path[3] ?? '') : send(res, 404, 'no such blob', 'text/plain');
    }
    send(res, 404, JSON.stringify({ error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    corrupt,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

