/**
 * Test helpers for the VK collector: a fake `api.vk.com/method/` built from the fixtures, serving
 * wall.get pages by offset/count from a wall the test can change between passes.
 */
import { fixtureText, testHttpSettings, testQueues, type Reply, type Routes, type TestServer } from '../base/test-server.js';
import { silentLogger } from '../../core/logger.js';
import type { CollectorDeps } from '../deps.js';
import type { CollectOutcome } from '../types.js';
import { createVkCollector, vkSourceSchema, type VkCollector, type VkCursor, type VkSourceInput } from './index.js';

export const TOKEN = 'vk1.a.test-service-token-123';
/** 2025-11-20T12:00:00Z: the fixtures' posts are from the days before. */
export const NOW = Date.parse('2025-11-20T12:00:00Z');
export const OWNER = -201234567;

export type Json = Record<string, unknown>;

export const fixtureJson = <T = Json>(path: string): T => JSON.parse(fixtureText(`vk/${path}`)) as T;

interface ListResponse {
  response: { count: number; items: Json[]; profiles?: Json[]; groups?: Json[] };
}

/** A wall the test edits between passes; wall.get answers slices of it like VK does. */
export class FakeWall {
  items: Json[];
  profiles: Json[];
  groups: Json[];

  constructor(file = 'wall.json') {
    const { response } = fixtureJson<ListResponse>(file);
    this.items = response.items;
    this.profiles = response.profiles ?? [];
    this.groups = response.groups ?? [];
  }

  /** New posts go on top, under the pinned post. */
  publish(file: string): this {
    const { response } = fixtureJson<ListResponse>(file);
    return this.publishItems(response.items, response.profiles ?? []);
  }

  publishItems(items: Json[], profiles: Json[] = []): this {
    const pinned = this.items.filter((p) => p.is_pinned === 1);
    const rest = this.items.filter((p) => p.is_pinned !== 1);
    this.items = [...pinned, ...items, ...rest];
    this.profiles = [...this.profiles, ...profiles];
    return this;
  }

  setCommentCount(postId: number, count: number): this {
    const post = this.items.find((p) => p.id === postId);
    if (post) post.comments = { ...(post.comments as Json), count };
    return this;
  }

  reply = (url: URL): Reply => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const count = Number(url.searchParams.get('count') ?? 20);
    const body = { response: { count: this.items.length, items: this.items.slice(offset, offset + count), profiles: this.profiles, groups: this.groups } };
    return json(body);
  };
}

/** Posts generated on top of the fixture wall, for long-outage tests. */
export const generatedPosts = (fromId: number, toId: number, date: number): Json[] => {
  const out: Json[] = [];
  for (let id = toId; id >= fromId; id--) {
    out.push({ id, from_id: OWNER, owner_id: OWNER, date: date + id, post_type: 'post', text: `Жалоба №${id}: на улице Родионова не убран снег.`, comments: { count: 0 } });
  }
  return out;
};

export const json = (body: unknown, status = 200): Reply => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });

export const fileReply = (path: string): Reply => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: fixtureText(`vk/${path}`) });

/** wall.getComments by `post_id`, comments sliced by offset/count; posts not listed have none. */
export const commentsRoute =
  (byPost: Record<number, string | Reply>) =>
  (url: URL): Reply => {
    const entry = byPost[Number(url.searchParams.get('post_id'))];
    if (entry === undefined) return json({ response: { count: 0, current_level_count: 0, items: [], profiles: [], groups: [] } });
    if (typeof entry !== 'string') return entry;
    const body = fixtureJson<ListResponse>(entry);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const count = Number(url.searchParams.get('count') ?? 10);
    return json({ response: { ...body.response, items: body.response.items.slice(offset, offset + count) } });
  };

export const wallRoutes = (wall: FakeWall, comments: Record<number, string | Reply> = {}): Routes => ({
  '/method/wall.get': (url: URL) => wall.reply(url),
  '/method/wall.getComments': commentsRoute(comments),
});

export const deps = (env: Record<string, string | undefined> = { VK_SERVICE_TOKEN: TOKEN }): CollectorDeps => ({
  http: testHttpSettings,
  queues: testQueues(),
  env,
  logger: silentLogger,
});

export const makeCollector = (
  server: TestServer,
  config: Partial<VkSourceInput> = {},
  env?: Record<string, string | undefined>,
  now = NOW,
): VkCollector =>
  createVkCollector(
    vkSourceSchema.parse({ id: 'vk-zhaloby-nn', type: 'vk', ownerId: OWNER, pageSize: 3, baseUrl: `${server.url}/method/`, ...config }),
    deps(env),
    { now: () => now, floodDelayMs: 1, floodRetries: 2 },
  );

export const pass = (collector: VkCollector, cursor: VkCursor | null = null): Promise<CollectOutcome<VkCursor>> =>
  collector.collect({ cursor, logger: silentLogger });

/** What the runner does with a cursor: JSON in the store, parsed back on the next start. */
export const storedCursor = (collector: VkCollector, cursor: VkCursor): VkCursor | null => collector.parseCursor(JSON.parse(JSON.stringify(cursor)));

export const ids = (outcome: CollectOutcome<VkCursor>): string[] => outcome.items.map((i) => i.input.id);

/** Requests to one method, as `param=value` maps (token and version left out). */
export const calls = (server: TestServer, method: string): Record<string, string>[] =>
  server.requests
    .filter((r) => r.startsWith(`/method/${method}?`))
    .map((r) => {
      const params = Object.fromEntries(new URL(r, 'http://x').searchParams);
      delete params.access_token;
      delete params.v;
      return params;
    });
