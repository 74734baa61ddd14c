/** End-to-end tests of the `radar` binary as a user runs it: real processes, real files, real HTTP. */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import Database from 'better-sqlite3';
import { runRadar, startServe } from './test-support.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'radar-cli-'));
const run = (args: string[], stdin: string, env: Record<string, string> = {}) => runRadar(args, { stdin, env });

const killHard = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

test('analyze honours the JSON Lines contract, reports bad lines with their numbers and exits 1', async (t) => {
  const lines = [
    JSON.stringify({ id: 'a', text: 'На улице Ленина, д. 5 огромная яма на дороге, никто не ремонтирует асфальт', source: 'vk-test', published_at: '2026-11-20T08:00:00Z' }),
    '{"id": "broken", "text": ',
    JSON.stringify({ id: 'b', text: 'Ленина 5 яма на дороге, пробил колесо, когда отремонтируют асфальт?!', source: 'tg-test', published_at: '2026-11-20T10:00:00Z' }),
    JSON.stringify({ id: 'c', text: 42 }),
    '',
    JSON.stringify({ id: 'd', text: 'Продам диван, самовывоз' }),
  ];
  const result = await run(['analyze'], `${lines.join('\n')}\n`);
  t.is(result.code, 1);
  t.regex(result.stderr, /line 2: invalid JSON/);
  t.regex(result.stderr, /line 4: text: expected string, got number 42/);
  const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.deepEqual(out.map((o) => o.id), ['a', 'b', 'd'], 'one line per good post, in input order');
  const [a, b, d] = out as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  for (const o of out) {
    t.deepEqual(Object.keys(o).sort(), ['facts', 'fake_risk', 'id', 'incident_id', 'is_problem', 'problems', 'story_id']);
    t.deepEqual(Object.keys(o.facts as object).sort(), ['addresses', 'dates', 'locations', 'organizations', 'phones']);
    t.deepEqual(Object.keys(o.fake_risk as object).sort(), ['level', 'reasons', 'score']);
    t.is(typeof o.story_id, 'string');
  }
  t.true(a.is_problem);
  t.is((a.problems as { category: string }[])[0]?.category, 'roads');
  t.is(typeof a.incident_id, 'string');
  t.is(a.incident_id, b.incident_id, 'two reports of one pothole share an incident across sources');
  t.false(d.is_problem);
  t.is(d.incident_id, null);
  t.deepEqual(d.problems, []);
});

test('analyze reads --input files and exits 0 on clean input', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'posts.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 1, text: 'Третий день нет горячей воды в доме 12 по улице Белинского' })}\n`);
  const result = await run(['analyze', '--input', file], '');
  t.is(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { id: string; is_problem: boolean };
  t.is(out.id, '1');
  t.true(out.is_problem);
});

test('--help is available on every command', async (t) => {
  for (const command of [[], ['analyze'], ['serve'], ['replay'], ['reprocess']]) {
    const result = await run([...command, '--help'], '');
    t.is(result.code, 0);
    t.regex(result.stdout, /Usage: radar/);
  }
});

test('a wrong config value fails at start-up naming the key, the value and what is allowed', async (t) => {
  const result = await run(['replay'], '', { PORT: 'eighty' });
  t.is(result.code, 2);
  t.regex(result.stderr, /PORT \(port\): expected number, got "eighty"/);
});

test('killing serve mid-ingest loses no accepted post; the restart processes them all', async (t) => {
  const db = join(tempDir(), 'radar.db');
  const first = await startServe({ RADAR_DB: db });
  const accepted: string[] = [];
  const batch = (n: number) =>
    Array.from({ length: 100 }, (_, i) => ({ id: `${n}-${i}`, text: `Дом ${i} по улице Горького, ${n}-й день нет отопления, батареи ледяные` }));
  for (let n = 0; n < 3; n++) {
    const res = await fetch(`${first.url}/api/v1/posts`, { method: 'POST', body: JSON.stringify(batch(n)), headers: { 'content-type': 'application/json' } });
    t.is(res.status, 202);
    accepted.push(...((await res.json()) as { ids: string[] }).ids);
  }
  // A fourth batch is in flight when the process dies: it must be all there or not there at all.
  const inFlight = fetch(`${first.url}/api/v1/posts`, { method: 'POST', body: JSON.stringify(batch(3)) }).catch(() => null);
  await killHard(first.child);
  await inFlight;

  const raw = new Database(db, { readonly: true });
  const stored = new Set(raw.prepare('SELECT id FROM posts').pluck().all() as string[]);
  raw.close();
  t.true(accepted.every((id) => stored.has(id)), 'every post answered with 202 is in the database');
  t.true(stored.size === 300 || stored.size === 400, `no half-stored batch (found ${stored.size})`);

  const second = await startServe({ RADAR_DB: db });
  let health: { posts: number; pending: number } = { posts: 0, pending: -1 };
  for (let i = 0; i < 100; i++) {
    health = (await (await fetch(`${second.url}/health`)).json()) as typeof health;
    if (health.pending === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  t.is(health.posts, stored.size);
  t.is(health.pending, 0, 'the restarted service processed what the killed one left pending');
  const feed = (await (await fetch(`${second.url}/api/v1/incidents?category=housing`)).json()) as { items: unknown[] };
  t.true(feed.items.length > 0);
  second.child.kill('SIGTERM');
  await new Promise((r) => second.child.once('exit', r));
});
