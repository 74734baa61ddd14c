/**
 * `radar collect --once` as an operator runs it: a real process, a real SQLite file and one local
 * HTTP server playing VK, OK, Telegram and a city RSS feed from our recorded fixtures.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { fixture, startTestServer, type Reply } from '../collectors/base/test-server.js';
import { FakeWall, wallRoutes } from '../collectors/vk/test-support.js';
import { runRadar } from './test-support.js';

const run = (args: string[], env: Record<string, string>) => runRadar(args, { env: { RADAR_LOG_LEVEL: 'warn', ...env } });

const file = (path: string, type: string): Reply => ({ headers: { 'content-type': type }, body: fixture(path) });

test('collect --once stores every post exactly once, survives a restart, and one broken source stops nothing', async (t) => {
  const wall = new FakeWall();
  const server = await startTestServer({
    ...wallRoutes(wall),
    '/fb.do': (url) => file(url.searchParams.get('anchor') ? 'ok/topics-page2.json' : 'ok/topics-page1.json', 'application/json'),
    '/s/nn_zhaloby': file('telegram/page-a.html', 'text/html; charset=utf-8'),
    '/s/nn_zhaloby?before=115': file('telegram/page-b.html', 'text/html; charset=utf-8'),
    '/s/nn_zhaloby?before=108': file('telegram/page-c.html', 'text/html; charset=utf-8'),
    '/rss/': file('rss/nn-news.xml', 'application/rss+xml; charset=utf-8'),
    '/s/gone_channel': { status: 404, body: 'not found' },
  });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'radar-collect-'));
    const sources = join(dir, 'sources.yaml');
    writeFileSync(
      sources,
      [
        'http: { retries: 0, timeoutMs: 2000, pacing: { intervalCap: 100, intervalMs: 10 } }',
        'sources:',
        `  - { id: vk-zhaloby, type: vk, ownerId: -201234567, pageSize: 3, comments: { enabled: false }, baseUrl: "${server.url}/method/" }`,
        `  - { id: ok-dzr, type: ok, groupIds: ["53038939046008"], baseUrl: "${server.url}/fb.do" }`,
        `  - { id: tg-zhaloby, type: telegram, channel: nn_zhaloby, baseUrl: "${server.url}/" }`,
        `  - { id: nn-rss, type: rss, url: "${server.url}/rss/" }`,
        `  - { id: tg-gone, type: telegram, channel: gone_channel, baseUrl: "${server.url}/" }`,
      ].join('\n'),
    );
    const env = {
      RADAR_DB: join(dir, 'radar.db'),
      VK_SERVICE_TOKEN: 'vk-test-token',
      OK_APPLICATION_KEY: 'key',
      OK_APPLICATION_SECRET_KEY: 'secret',
      OK_ACCESS_TOKEN: 'token',
    };
    const first = await run(['collect', '--once', '--config', sources], env);
    t.is(first.code, 1, first.stderr);
    t.regex(first.stdout, /tg-gone \(telegram\): FAILED ERR_SOURCE_GONE/);
    const counts: Record<string, [number, number]> = Object.fromEntries(
      [...first.stdout.matchAll(/^(\S+) \(\w+\): ok, (\d+) collected, (\d+) new/gm)].map((m) => [m[1], [Number(m[2]), Number(m[3])]]),
    );
    t.deepEqual(Object.keys(counts).sort(), ['nn-rss', 'ok-dzr', 'tg-zhaloby', 'vk-zhaloby']);
    for (const [id, [collected, stored]] of Object.entries(counts)) {
      t.true(collected > 0, `${id} collected posts`);
      t.is(stored, collected, `${id}: every collected post is new on the first pass`);
    }
    const db = () => new Database(env.RADAR_DB, { readonly: true });
    const conn = db();
    const total = conn.prepare('SELECT COUNT(*) FROM posts').pluck().get() as number;
    t.is(total, Object.values(counts).reduce((sum, [, n]) => sum + n, 0));
    t.is(conn.prepare(`SELECT COUNT(*) FROM posts WHERE status = 'pending'`).pluck().get(), 0, 'collect processes what it stored');
    const states = conn.prepare('SELECT source_id, health FROM source_states ORDER BY source_id').all();
    conn.close();
    t.deepEqual(states, [
      { source_id: 'nn-rss', health: 'ok' },
      { source_id: 'ok-dzr', health: 'ok' },
      { source_id: 'tg-gone', health: 'skipped' },
      { source_id: 'tg-zhaloby', health: 'ok' },
      { source_id: 'vk-zhaloby', health: 'ok' },
    ]);

    // A new process: cursors come from the database, nothing is stored twice.
    const requestsBefore = server.requests.length;
    const second = await run(['collect', '--once', '--config', sources, '--source', 'tg-zhaloby'], env);
    t.is(second.code, 0, second.stderr);
    t.regex(second.stdout, /tg-zhaloby \(telegram\): ok, 0 collected, 0 new/);
    t.deepEqual(server.requests.slice(requestsBefore), ['/s/nn_zhaloby'], 'the restart resumed from the stored cursor: one page, no paging back');
    const third = await run(['collect', '--once', '--config', sources], env);
    t.regex(third.stdout, /vk-zhaloby \(vk\): ok, \d+ collected, 0 new/);
    const conn2 = db();
    t.is(conn2.prepare('SELECT COUNT(*) FROM posts').pluck().get(), total, 'a second full pass stores nothing twice');
    conn2.close();

    const exported = await run(['export', 'posts', '--format', 'jsonl', '--source', 'tg-zhaloby'], env);
    t.is(exported.code, 0);
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: string; id: string; raw: unknown });
    t.is(lines.length, counts['tg-zhaloby']?.[0] ?? -1);
    t.true(lines.every((l) => l.source === 'tg-zhaloby' && l.raw !== null));

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, `sources:\n  - { id: vk-x, type: vk, ownerId: "минус один", schedule: "каждый час" }\n`);
    const refused = await run(['collect', '--once', '--config', bad], env);
    t.is(refused.code, 2);
    t.regex(refused.stderr, /sources\[0\] \(id "vk-x"\)\.schedule: schedule must be a cron expression/);
    t.regex(refused.stderr, /sources\[0\] \(id "vk-x"\)\.ownerId/);
  } finally {
    await server.close();
  }
});
