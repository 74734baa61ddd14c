import test, { type ExecutionContext } from 'ava';
import { createApp } from '../api/app.js';
import { loadConfig } from '../core/config.js';
import { geohash } from '../core/geohash.js';
import { silentLogger } from '../core/logger.js';
import { createRuntime } from '../pipeline/runtime.js';
import { apiDepsOf } from './serve.js';

const setup = (overrides: Record<string, unknown> = {}) => {
  const config = loadConfig({ env: {}, overrides: { logLevel: 'silent', ...overrides } });
  const runtime = createRuntime(config, silentLogger, { dbPath: ':memory:' });
  const app = createApp(apiDepsOf(runtime, 'test'));
  const post = (body: unknown) =>
    app.request('/api/v1/posts', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { runtime, app, post };
};

const complaints = [
  { id: '1', text: 'На улице Белинского, д. 32 огромная яма на дороге, уже третью неделю никто не ремонтирует асфальт', published_at: '2026-11-20T08:00:00Z' },
  { id: '2', text: 'Белинского 32 яма на дороге во всю полосу, пробил колесо!!! когда отремонтируют асфальт', published_at: '2026-11-20T12:00:00Z' },
  { id: '3', text: 'Во дворе дома 7 на улице Чкалова не вывозят мусор, контейнеры переполнены уже неделю', published_at: '2026-11-21T09:00:00Z' },
  { id: '4', text: 'Спасибо всем кто пришёл на концерт в субботу, было здорово!', published_at: '2026-11-21T10:00:00Z' },
];

const problemJson = async (t: ExecutionContext, res: Response, status: number) => {
  t.is(res.status, status);
  t.regex(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const body = (await res.json()) as { status: number; detail: string; code: string; errors?: { path: string; message: string }[] };
  t.is(body.status, status);
  return body;
};

test('health reports the store and its counts', async (t) => {
  const { app, runtime } = setup();
  const res = await app.request('/health');
  t.is(res.status, 200);
  t.like(await res.json(), { status: 'ok', store: 'sqlite', posts: 0, pending: 0 });
  await runtime.close();
});

test('POST /api/v1/posts stores a batch, is idempotent, and the feed shows the merged incident', async (t) => {
  const { app, runtime, post } = setup();
  const res = await post(complaints);
  t.is(res.status, 202);
  t.deepEqual(await res.json(), { accepted: 4, duplicates: 0, ids: ['api:1', 'api:2', 'api:3', 'api:4'], duplicate_ids: [] });
  const again = await post({ posts: complaints.slice(0, 2) });
  t.like(await again.json(), { accepted: 0, duplicates: 2 });
  await runtime.processor.drain();

  const feed = (await (await app.request('/api/v1/incidents')).json()) as { items: { id: string; category: string; report_count: number; category_label: string }[]; next_cursor: string | null };
  t.is(feed.next_cursor, null);
  const pothole = feed.items.find((i) => i.category === 'roads');
  t.truthy(pothole, 'the pothole is an incident');
  t.is(pothole?.report_count, 2, 'two reports of one pothole are one incident');
  t.is(pothole?.category_label, 'Дороги');
  t.truthy(feed.items.find((i) => i.category === 'waste'));
  t.is(feed.items.length, 2, 'the thank-you post is not an incident');

  const detail = (await (await app.request(`/api/v1/incidents/${pothole?.id}`)).json()) as { posts: { id: string; story_id: string }[] };
  t.deepEqual(detail.posts.map((p) => p.id).sort(), ['api:1', 'api:2']);

  const byCategory = (await (await app.request('/api/v1/incidents?category=waste')).json()) as { items: unknown[] };
  t.is(byCategory.items.length, 1);
  const search = (await (await app.request(`/api/v1/incidents?q=${encodeURIComponent('мусор')}`)).json()) as { items: { category: string }[] };
  t.deepEqual(search.items.map((i) => i.category), ['waste']);

  const storedPost = (await (await app.request('/api/v1/posts/api:4')).json()) as { status: string; is_problem: boolean };
  t.like(storedPost, { status: 'processed', is_problem: false });
  await runtime.close();
});

test('cursor pagination walks the whole feed without repeats', async (t) => {
  const { app, runtime, post } = setup();
  const streets = ['Ленина', 'Горького', 'Белинского', 'Чкалова', 'Мира', 'Гагарина', 'Советская'];
  await post(streets.map((s, i) => ({ id: `p${i}`, text: `На улице ${s}, д. ${i + 1} яма на дороге, разбит асфальт`, published_at: `2026-11-${10 + i}T08:00:00Z` })));
  await runtime.processor.drain();
  const ids: string[] = [];
  let url = '/api/v1/incidents?limit=3';
  for (let guard = 0; guard < 10; guard++) {
    const page = (await (await app.request(url)).json()) as { items: { id: string }[]; next_cursor: string | null };
    ids.push(...page.items.map((i) => i.id));
    if (!page.next_cursor) break;
    url = `/api/v1/incidents?limit=3&cursor=${page.next_cursor}`;
  }
  t.is(ids.length, streets.length);
  t.is(new Set(ids).size, streets.length);
  await runtime.close();
});

test('bad posts get a problem+json answer naming each field, and nothing is stored', async (t) => {
  const { runtime, post } = setup();
  const body = await problemJson(t, await post([{ id: 'ok', text: 'нормальный пост' }, { id: 5.5, text: 42 }, { text: 'без id', published_at: 'вчера' }]), 400);
  t.is(body.code, 'ERR_VALIDATION');
  const paths = body.errors?.map((e) => e.path) ?? [];
  t.deepEqual(paths, ['[1].id', '[1].text', '[2].id', '[2].published_at']);
  t.regex(body.errors?.[1]?.message ?? '', /expected string, got number 42/);
  t.is((await runtime.store.stats()).posts, 0, 'an invalid batch stores nothing');

  t.regex((await problemJson(t, await post('{"id": "1", "text": '), 400)).detail, /expected JSON/);
  t.regex((await problemJson(t, await post([]), 400)).detail, /at least one post/);
  t.regex((await problemJson(t, await post('"just a string"'), 400)).detail, /expected a post object/);
  await runtime.close();
});

test('batches over the limit and bodies over the size limit are refused with 413', async (t) => {
  const { runtime, post } = setup({ ingest: { maxBatch: 3, maxTextChars: 100_000, maxBodyBytes: 2_000 } });
  const tooMany = Array.from({ length: 4 }, (_, i) => ({ id: String(i), text: 'x' }));
  t.regex((await problemJson(t, await post(tooMany), 413)).detail, /Batch of 4 posts exceeds the limit of 3/);
  t.regex((await problemJson(t, await post([{ id: '1', text: 'я'.repeat(3_000) }]), 413)).detail, /exceeds 2000 bytes/);
  await runtime.close();
});

test('feed query errors say what was expected and what was received', async (t) => {
  const { app, runtime } = setup();
  const category = await problemJson(t, await app.request('/api/v1/incidents?category=roads,potholes'), 400);
  t.regex(category.detail, /category/);
  t.regex(category.detail, /"housing"/);
  t.regex((await problemJson(t, await app.request('/api/v1/incidents?limit=0'), 400)).detail, /limit: expected number to be >=1, got "0"/);
  t.regex((await problemJson(t, await app.request('/api/v1/incidents?from=yesterday'), 400)).detail, /from: expected an ISO-8601 date/);
  t.regex((await problemJson(t, await app.request('/api/v1/incidents?categroy=roads'), 400)).detail, /categroy/);
  t.regex((await problemJson(t, await app.request('/api/v1/incidents?cursor=zzz'), 400)).detail, /Invalid cursor/);
  t.regex((await problemJson(t, await app.request('/api/v1/incidents/inc_nope'), 404)).detail, /inc_nope/);
  t.regex((await problemJson(t, await app.request('/api/v1/nothing'), 404)).detail, /No route for GET \/api\/v1\/nothing/);
  await runtime.close();
});

test('GET /api/v1/sources lists configured sources with their health, counts and lag', async (t) => {
  const config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } });
  const runtime = createRuntime(config, silentLogger, { dbPath: ':memory:' });
  const deps = apiDepsOf(runtime, 'test');
  const app = createApp({
    ...deps,
    sources: [
      { id: 'vk-a', type: 'vk', name: 'Подслушано', schedule: '*/10 * * * *', enabled: true },
      { id: 'tg-b', type: 'telegram', name: null, schedule: '*/15 * * * *', enabled: true },
      { id: 'rss-new', type: 'rss', name: null, schedule: '0 * * * *', enabled: false },
    ],
  });
  const at = new Date(Date.now() - 90_000).toISOString();
  await runtime.store.saveCollected({ sourceId: 'vk-a', type: 'vk', posts: [], cursor: { newest: 1 }, at });
  await runtime.store.recordSourceFailure({ sourceId: 'tg-b', type: 'telegram', at, code: 'ERR_CAPTCHA', message: 'tg-b: challenge page', health: 'skipped' });
  await runtime.store.recordSourceFailure({ sourceId: 'old-source', type: 'ok', at, code: 'ERR_TIMEOUT', message: 'x', health: 'failing' });
  const body = (await (await app.request('/api/v1/sources')).json()) as { items: Record<string, unknown>[] };
  t.deepEqual(body.items.map((i) => [i.id, i.health, i.configured]), [
    ['vk-a', 'ok', true],
    ['tg-b', 'skipped', true],
    ['rss-new', 'never-run', true],
    ['old-source', 'failing', false],
  ]);
  t.like(body.items[0], { name: 'Подслушано', last_success_at: at, posts_collected: 0, consecutive_failures: 0 });
  t.true((body.items[0]?.lag_seconds as number) >= 90);
  t.like(body.items[1], { last_error_code: 'ERR_CAPTCHA', last_error: 'tg-b: challenge page', lag_seconds: null });
  await runtime.close();
});

test('refutation registry: editors register a refuted claim; later copies of it get high risk with the link', async (t) => {
  const { app, runtime, post } = setup();
  const claim = 'СРОЧНО ПЕРЕШЛИТЕ ВСЕМ: в водопроводе Сормовского района нашли холеру, воду пить нельзя, власти скрывают';
  const bad = await app.request('/api/v1/refutations', { method: 'POST', body: JSON.stringify({ claim: 'коротко', url: 'ftp://x' }) });
  t.is(bad.status, 400);
  t.regex(((await bad.json()) as { detail: string }).detail, /claim: expected string to have >=20 characters.*url: url must be an absolute http\(s\) URL/);
  const created = await app.request('/api/v1/refutations', {
    method: 'POST',
    body: JSON.stringify({ claim, url: 'https://example-admnn.ru/news/refutation-cholera', topic: 'Холера в водопроводе', text: 'Роспотребнадзор: информация не соответствует действительности' }),
  });
  t.is(created.status, 201);
  const refutation = (await created.json()) as { id: string; topic: string };
  t.is(refutation.topic, 'Холера в водопроводе');
  const list = (await (await app.request('/api/v1/refutations')).json()) as { items: { id: string }[] };
  t.deepEqual(list.items.map((r) => r.id), [refutation.id]);

  await post([
    { id: 'copy', source: 'tg-rumours', text: `Репост! ${claim} 😱😱 #сормово` },
    { id: 'plain', source: 'vk-a', text: 'В Сормове сегодня отключат горячую воду для профилактики, сообщает Водоканал' },
  ]);
  await runtime.processor.drain();
  const copy = (await (await app.request('/api/v1/posts/tg-rumours:copy')).json()) as { fake_risk: { level: string; reasons: string[] } };
  t.is(copy.fake_risk.level, 'high');
  t.regex(copy.fake_risk.reasons[0] ?? '', /^Совпадает с опровергнутым утверждением «Холера в водопроводе»: https:\/\/example-admnn\.ru/);
  const plain = (await (await app.request('/api/v1/posts/vk-a:plain')).json()) as { fake_risk: { reasons: string[] } };
  t.false(plain.fake_risk.reasons.some((r) => r.startsWith('Совпадает с опровергнутым')));
  await runtime.close();
});

test('editors flag a story, report it to a platform, record the decision and export the report', async (t) => {
  const { app, runtime, post } = setup();
  const rumour = 'СРОЧНО ПЕРЕШЛИТЕ: в Сормове завтра на неделю отключат воду во всех домах, власти скрывают, запасайтесь';
  await post([
    { id: '1', source: 'vk-a', url: 'https://vk.com/wall-1_1', text: rumour, published_at: '2026-11-20T08:00:00Z' },
    { id: '2', source: 'tg-b', url: 'https://t.me/nn_news/77', text: `Переслано: ${rumour}`, published_at: '2026-11-20T09:00:00Z' },
    { id: '3', source: 'vk-c', url: 'https://vk.com/wall-3_9', text: `${rumour} 😱`, published_at: '2026-11-20T10:00:00Z' },
  ]);
  await runtime.processor.drain();
  const storyId = ((await (await app.request('/api/v1/posts/vk-a:1')).json()) as { story_id: string }).story_id;
  const story = (await (await app.request(`/api/v1/stories/${storyId}`)).json()) as { posts: { platform: string }[] };
  t.deepEqual(story.posts.map((p) => p.platform), ['vk', 'telegram', 'vk']);
  t.is((await app.request('/api/v1/stories/sto_missing')).status, 404);

  const ref = (await (
    await app.request('/api/v1/refutations', { method: 'POST', body: JSON.stringify({ claim: rumour, url: 'https://example-admnn.ru/refute/water', topic: 'Отключение воды на неделю' }) })
  ).json()) as { id: string };
  const flag = async (body: unknown) => app.request(`/api/v1/stories/${storyId}/flags`, { method: 'POST', body: JSON.stringify(body) });
  t.is((await flag({ platform: 'vk', reason: 'ложная информация', refutation_id: 'ref_nope' })).status, 400);
  const created = await flag({ platform: 'vk', reason: 'Ложное сообщение об отключении воды', refutation_id: ref.id });
  t.is(created.status, 201);
  t.like(await created.json(), { status: 'flagged', platform: 'vk' });

  const move = (status: string) => app.request(`/api/v1/stories/${storyId}/flags/vk`, { method: 'PATCH', body: JSON.stringify({ status, note: `→ ${status}` }) });
  const early = await move('removed');
  t.is(early.status, 409);
  t.regex(((await early.json()) as { detail: string }).detail, /Cannot move a flagged flag to removed; allowed: reported/);
  t.is((await move('reported')).status, 200);
  const decided = (await (await move('labelled')).json()) as { status: string; history: { status: string }[] };
  t.is(decided.status, 'labelled');
  t.deepEqual(decided.history.map((h) => h.status), ['flagged', 'reported', 'labelled']);

  const report = (await (await app.request(`/api/v1/stories/${storyId}/report?platform=vk`)).json()) as { urls: string[]; refutation: { url: string }; reason: string };
  t.deepEqual(report.urls, ['https://vk.com/wall-1_1', 'https://vk.com/wall-3_9']);
  t.is(report.refutation.url, 'https://example-admnn.ru/refute/water');
  t.is((await app.request(`/api/v1/stories/${storyId}/report?platform=ok`)).status, 404);
  t.is((await app.request(`/api/v1/stories/${storyId}/report?platform=facebook`)).status, 400);
  await runtime.close();
});

test('analysts set an incident status; it survives reprocessing, and a later report reopens a resolved incident', async (t) => {
  const { app, runtime, post } = setup();
  await post([
    { id: '1', text: 'На улице Белинского, д. 32 огромная яма на дороге, разбит асфальт', published_at: '2026-11-20T08:00:00Z' },
    { id: '2', text: 'Белинского 32 яма на дороге во всю полосу, асфальт разбит', published_at: '2026-11-20T09:00:00Z' },
  ]);
  await runtime.processor.drain();
  const id = ((await (await app.request('/api/v1/posts/api:1')).json()) as { problems: { incident_id: string }[] }).problems[0]?.incident_id ?? '';
  const patch = (body: unknown, target = id) => app.request(`/api/v1/incidents/${target}`, { method: 'PATCH', body: JSON.stringify(body) });
  t.is((await patch({ status: 'fixed' })).status, 400);
  t.is((await patch({ status: 'resolved' }, 'inc_missing')).status, 404);
  const resolved = (await (await patch({ status: 'resolved', note: 'заявка ДУКа закрыта' })).json()) as { status: string; history: { status: string; note: string }[] };
  t.is(resolved.status, 'resolved');
  t.deepEqual(resolved.history.map((h) => [h.status, h.note]), [['resolved', 'заявка ДУКа закрыта']]);

  await runtime.store.resetAnalyses();
  await runtime.processor.drain();
  t.is(((await (await app.request(`/api/v1/incidents/${id}`)).json()) as { status: string }).status, 'resolved', 'reprocessing keeps the decision');

  const later = new Date(Date.now() + 86_400_000).toISOString();
  await post([{ id: '3', text: 'Белинского 32 снова яма на дороге, асфальт опять разбит', published_at: later }]);
  await runtime.processor.drain();
  const reopened = (await (await app.request(`/api/v1/incidents/${id}`)).json()) as { status: string; report_count: number };
  t.is(reopened.status, 'open', 'a report after the resolution reopens the incident instead of spawning a twin');
  t.is(reopened.report_count, 3);
  await runtime.close();
});

const incidentOf = async (app: ReturnType<typeof setup>['app'], postId: string, index = 0): Promise<string> =>
  ((await (await app.request(`/api/v1/posts/${postId}`)).json()) as { problems: { incident_id: string }[] }).problems[index]?.incident_id ?? '';

const send = (app: ReturnType<typeof setup>['app'], method: string, url: string, body: unknown) =>
  app.request(url, { method, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });

interface IncidentJson {
  id: string;
  report_count: number;
  status: string;
  history: { kind: string; from_ids: string[]; to_id: string | null; reports: { post_id: string; problem_index: number }[]; note: string | null }[];
  posts: { id: string }[];
}

test('analysts merge two incidents through the API; the old id redirects and the merge survives reprocessing', async (t) => {
  const { app, runtime, post } = setup();
  await post([
    { id: '1', text: 'На улице Белинского, д. 32 огромная яма на дороге, разбит асфальт', published_at: '2026-11-20T08:00:00Z' },
    { id: '2', text: 'Во дворе дома 7 на улице Чкалова не вывозят мусор, контейнеры переполнены', published_at: '2026-11-20T09:00:00Z' },
  ]);
  await runtime.processor.drain();
  const [target, source] = [await incidentOf(app, 'api:1'), await incidentOf(app, 'api:2')];
  t.not(target, source, 'the merger keeps a pothole and rubbish apart');

  const merged = await send(app, 'POST', `/api/v1/incidents/${target}/merge`, { incident_ids: [source], note: 'одна заявка в УК' });
  t.is(merged.status, 200);
  const body = (await merged.json()) as IncidentJson;
  t.like(body, { id: target, report_count: 2 });
  t.deepEqual(body.history.map((h) => [h.kind, h.from_ids, h.to_id, h.note]), [['merge', [source], target, 'одна заявка в УК']]);

  const old = await app.request(`/api/v1/incidents/${source}`);
  t.is(old.status, 308);
  t.is(old.headers.get('location'), `/api/v1/incidents/${target}`);
  t.deepEqual(await old.json(), { id: source, merged_into: target, location: `/api/v1/incidents/${target}` });
  const patched = await send(app, 'PATCH', `/api/v1/incidents/${source}`, { status: 'in_progress' });
  t.is(patched.status, 308, 'a status change sent to the old id is redirected too');
  const feed = (await (await app.request('/api/v1/incidents')).json()) as { items: { id: string }[] };
  t.deepEqual(feed.items.map((i) => i.id), [target]);

  await runtime.store.resetAnalyses();
  await runtime.processor.drain();
  const rebuilt = (await (await app.request(`/api/v1/incidents/${target}`)).json()) as IncidentJson;
  t.is(rebuilt.report_count, 2, 'reprocessing keeps the merge');
  t.deepEqual(rebuilt.posts.map((p) => p.id).sort(), ['api:1', 'api:2']);
  t.deepEqual(rebuilt.history.map((h) => h.kind), ['merge']);
  t.is((await app.request(`/api/v1/incidents/${source}`)).status, 308);
  t.is(await incidentOf(app, 'api:2'), target);
  await runtime.close();
});

test('analysts split an incident; the split survives reprocessing and a later report matching both halves', async (t) => {
  const { app, runtime, post } = setup();
  const text = 'На улице Белинского, д. 32 огромная яма на дороге, разбит асфальт';
  await post([
    { id: '1', text, published_at: '2026-11-20T08:00:00Z' },
    { id: '2', text: `${text}!`, published_at: '2026-11-20T09:00:00Z' },
    { id: '3', text: `${text}!!`, published_at: '2026-11-20T10:00:00Z' },
  ]);
  await runtime.processor.drain();
  const id = await incidentOf(app, 'api:1');
  t.is(await incidentOf(app, 'api:3'), id, 'the merger joined the three copies');

  const res = await send(app, 'POST', `/api/v1/incidents/${id}/split`, { reports: [{ post_id: 'api:3', problem_index: 0 }], note: 'другая яма' });
  t.is(res.status, 201);
  const { original, created } = (await res.json()) as { original: IncidentJson; created: IncidentJson };
  t.like(original, { id, report_count: 2 });
  t.is(created.report_count, 1);
  t.is(await incidentOf(app, 'api:3'), created.id);
  const history = ((await (await app.request(`/api/v1/incidents/${created.id}`)).json()) as IncidentJson).history;
  t.deepEqual(history.map((h) => [h.kind, h.from_ids, h.to_id, h.reports]), [['split', [id], created.id, [{ post_id: 'api:3', problem_index: 0 }]]]);

  // A new copy matches both halves: the automatic merger attaches it to one and never joins them.
  await post([{ id: '4', text: `${text}!!!`, published_at: '2026-11-20T11:00:00Z' }]);
  await runtime.processor.drain();
  t.true([id, created.id].includes(await incidentOf(app, 'api:4')));
  await runtime.store.resetAnalyses();
  await runtime.processor.drain();
  const postsOf = async (incident: string) => ((await (await app.request(`/api/v1/incidents/${incident}`)).json()) as IncidentJson).posts.map((p) => p.id);
  const [left, right] = [await postsOf(id), await postsOf(created.id)];
  t.deepEqual(left.filter((p) => p !== 'api:4'), ['api:1', 'api:2'], 'the original keeps its reports after reprocessing');
  t.deepEqual(right.filter((p) => p !== 'api:4'), ['api:3'], 'the split-off incident comes back with the same id');
  t.is(left.length + right.length, 4, 'the new report sits in exactly one half');
  await runtime.close();
});

test('merge and split errors: wrong types name the field, wrong ids and reports say what was expected', async (t) => {
  const { app, runtime, post } = setup();
  await post([
    { id: '1', text: 'На улице Белинского, д. 32 огромная яма на дороге, разбит асфальт', published_at: '2026-11-20T08:00:00Z' },
    { id: '2', text: 'Во дворе дома 7 на улице Чкалова не вывозят мусор, контейнеры переполнены', published_at: '2026-11-20T09:00:00Z' },
  ]);
  await runtime.processor.drain();
  const [a, b] = [await incidentOf(app, 'api:1'), await incidentOf(app, 'api:2')];
  const merge = (target: string, body: unknown) => send(app, 'POST', `/api/v1/incidents/${target}/merge`, body);
  const split = (target: string, body: unknown) => send(app, 'POST', `/api/v1/incidents/${target}/split`, body);

  const notArray = await problemJson(t, await merge(a, { incident_ids: b }), 400);
  t.deepEqual(notArray.errors?.map((e) => e.path), ['incident_ids']);
  t.regex(notArray.detail, /incident_ids: expected array, got "inc_/);
  t.deepEqual((await problemJson(t, await merge(a, { incident_ids: [7] }), 400)).errors?.map((e) => e.path), ['incident_ids.0']);
  t.deepEqual((await problemJson(t, await merge(a, { incident_ids: [b], force: true }), 400)).errors?.map((e) => e.path), ['(root)']);
  t.regex((await problemJson(t, await merge(a, '{"incident_ids": ['), 400)).detail, /expected JSON/);
  const itself = await problemJson(t, await merge(a, { incident_ids: [a] }), 400);
  t.regex(itself.detail, /cannot merge incident .* into itself/);
  t.deepEqual(itself.errors?.map((e) => e.path), ['incident_ids.0']);
  t.regex((await problemJson(t, await merge('inc_missing', { incident_ids: [b] }), 404)).detail, /inc_missing/);
  t.regex((await problemJson(t, await merge(a, { incident_ids: ['inc_missing'] }), 404)).detail, /inc_missing/);

  const badIndex = await problemJson(t, await split(a, { reports: [{ post_id: 'api:1', problem_index: '0' }] }), 400);
  t.deepEqual(badIndex.errors?.map((e) => e.path), ['reports.0.problem_index']);
  t.deepEqual((await problemJson(t, await split(a, { reports: [] }), 400)).errors?.map((e) => e.path), ['reports']);
  const foreign = await problemJson(t, await split(a, { reports: [{ post_id: 'api:2', problem_index: 0 }] }), 400);
  t.regex(foreign.detail, new RegExp(`expected reports of incident ${a}, got post "api:2" problem 0, a report of ${b}`));
  t.regex((await problemJson(t, await split(a, { reports: [{ post_id: 'api:1', problem_index: 0 }] }), 400)).detail, /got all of them/);

  t.is((await merge(a, { incident_ids: [b] })).status, 200);
  t.regex((await problemJson(t, await merge(a, { incident_ids: [b] }), 409)).detail, /was already merged into/);
  await runtime.close();
});

test('GET /api/v1/incidents/facets counts the filtered feed by category, municipality, day and map cell', async (t) => {
  const { app, runtime, post } = setup();
  const at = { lat: 56.3269, lon: 44.0059 };
  await post([
    { id: '1', text: 'На улице Белинского, д. 32 огромная яма на дороге, разбит асфальт', published_at: '2026-11-20T08:00:00Z', location: at },
    { id: '2', text: 'Во дворе дома 7 на улице Чкалова не вывозят мусор, контейнеры переполнены', published_at: '2026-11-21T09:00:00Z', location: at },
    { id: '3', text: 'В Дзержинске на улице Гагарина, д. 5 третий день нет горячей воды в доме', published_at: '2026-11-22T10:00:00Z' },
  ]);
  await runtime.processor.drain();
  type Facets = {
    total: number;
    categories: { category: string; category_label: string; count: number }[];
    municipalities: { municipality: string; count: number }[];
    days: { date: string; count: number }[];
    geo: { precision: number; cells: { geohash: string; count: number; center: { lat: number; lon: number } }[] };
  };
  type Item = { category: string; category_label: string; municipality: string | null; first_seen: string; location: { lat: number; lon: number } | null };
  const feed = async (query: string) => ((await (await app.request(`/api/v1/incidents?limit=200&${query}`)).json()) as { items: Item[] }).items;
  const facets = async (query: string) => {
    const res = await app.request(`/api/v1/incidents/facets?${query}`);
    t.is(res.status, 200);
    return (await res.json()) as Facets;
  };
  // What the facets must say, counted the slow way from the feed itself.
  const tally = (keys: (string | null)[]) => {
    const counts = new Map<string, number>();
    for (const key of keys) if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };

  const items = await feed('');
  t.true(items.length >= 2, 'the feed holds incidents to count');
  const all = await facets('');
  t.is(all.total, items.length);
  t.deepEqual(all.categories.map((c) => [c.category, c.count]), tally(items.map((i) => i.category)));
  t.deepEqual(all.categories.map((c) => c.category_label), all.categories.map((c) => items.find((i) => i.category === c.category)?.category_label));
  t.deepEqual(all.municipalities.map((m) => [m.municipality, m.count]), tally(items.map((i) => i.municipality)));
  t.deepEqual(all.days.map((d) => [d.date, d.count]), tally(items.map((i) => i.first_seen.slice(0, 10))).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  t.is(all.geo.precision, 5);
  t.deepEqual(all.geo.cells.map((c) => [c.geohash, c.count]), tally(items.map((i) => (i.location ? geohash(i.location.lat, i.location.lon, 5) : null))));
  t.deepEqual(all.geo.cells.map((c) => c.geohash), ['ufp23'], 'both located posts lie in one 5 km cell');
  t.is(geohash(all.geo.cells[0]?.center.lat ?? 0, all.geo.cells[0]?.center.lon ?? 0, 5), 'ufp23');

  const roads = await facets('category=roads&geo_precision=3');
  t.is(roads.total, (await feed('category=roads')).length);
  t.deepEqual(roads.categories.map((c) => c.category), ['roads']);
  t.deepEqual(roads.geo.precision, 3);
  t.deepEqual(roads.geo.cells.map((c) => [c.geohash, c.count]), [['ufp', 1]]);
  const searched = await facets(`q=${encodeURIComponent('яма')}`);
  t.deepEqual(searched.categories.map((c) => c.category), ['roads']);
  t.is((await facets('municipality=nowhere')).total, 0);

  t.deepEqual((await problemJson(t, await app.request('/api/v1/incidents/facets?geo_precision=9'), 400)).errors?.map((e) => e.path), ['geo_precision']);
  t.regex((await problemJson(t, await app.request('/api/v1/incidents/facets?limit=5'), 400)).detail, /limit/);
  t.regex((await problemJson(t, await app.request('/api/v1/incidents/facets?from=yesterday'), 400)).detail, /from: expected an ISO-8601 date/);
  await runtime.close();
});

test('an Elasticsearch cluster that cannot be reached: /health says degraded and reads answer 503 with Retry-After', async (t) => {
  // A port nothing listens on: the client's connection is refused, as with a cluster that is down.
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const config = loadConfig({ env: { ELASTICSEARCH_URL: `http://127.0.0.1:${port}` }, overrides: { logLevel: 'silent' } });
  const runtime = createRuntime(config, silentLogger, { dbPath: ':memory:' });
  const app = createApp(apiDepsOf(runtime, 'test'));
  const health = await app.request('/health');
  t.is(health.status, 503);
  t.like(await health.json(), { status: 'degraded', store: 'elasticsearch' });
  const feed = await problemJson(t, await app.request('/api/v1/incidents'), 503);
  t.is(feed.code, 'ERR_STORE_UNAVAILABLE');
  t.is((await app.request('/api/v1/incidents')).headers.get('retry-after'), '30');
  // Intake goes on: raw posts are stored in the local file and wait there for the cluster.
  const accepted = await app.request('/api/v1/posts', { method: 'POST', body: JSON.stringify([complaints[0]]), headers: { 'content-type': 'application/json' } });
  t.is(accepted.status, 202);
  await runtime.close();
});
