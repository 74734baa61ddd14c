/**
 * The store contract as tests, shared by every backend: `registerStoreContract` registers one ava
 * test per behaviour against stores from the given factory (a fresh, empty store per test). It
 * checks what callers can observe through `Store`, never how a backend keeps it.
 */
import test, { type ExecutionContext } from 'ava';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { geohash } from '../core/geohash.js';
import { makeId } from '../core/ids.js';
import type { Store } from './contract.js';
import { BROAD_KEY_ROWS } from './dedup-limits.js';
import { analysisOf, newPost, reportOf } from './test-fixtures.js';

export interface OpenedStore {
  readonly store: Store;
  /** Closes the store and removes what it left behind. */
  readonly dispose: () => Promise<void>;
}

export type StoreFactory = () => Promise<OpenedStore>;

const since = '2026-11-01T00:00:00.000Z';
const AT = '2026-11-25T10:00:00.000Z';

export const registerStoreContract = (backend: string, open: StoreFactory): void => {
  const contract = (title: string, body: (t: ExecutionContext, store: Store) => Promise<void>): void => {
    test(`${backend} store contract: ${title}`, async (t) => {
      const { store, dispose } = await open();
      t.teardown(dispose);
      await body(t, store);
    });
  };

  contract('savePosts is idempotent on (source, external id) and keeps the raw payload verbatim', async (t, store) => {
    const first = await store.savePosts([newPost('1'), newPost('2')]);
    t.deepEqual(first.inserted.map((p) => p.id), ['vk-test:1', 'vk-test:2']);
    t.deepEqual(first.duplicates, []);
    const second = await store.savePosts([newPost('2', 'изменённый текст'), newPost('3'), newPost('1', 'x', 'tg-other')]);
    t.deepEqual(second.inserted.map((p) => p.id), ['vk-test:3', 'tg-other:1']);
    t.deepEqual(second.duplicates, ['vk-test:2']);
    const stored = await store.getPost('vk-test:2');
    t.is(stored?.post.text, 'пост 2', 'a duplicate never overwrites the stored post');
    t.deepEqual(stored?.post.raw, { id: '2', text: 'пост 2', extra: { nested: [1, 2], emoji: '🚧' } });
    t.like(stored, { status: 'pending', error: null, analysis: null });
    t.like(await store.stats(), { posts: 4, pending: 4, failed: 0, incidents: 0, stories: 0 });
    t.is(await store.getPost('vk-test:404'), null);
  });

  contract('pendingPosts pages oldest first; saveAnalyses and markFailed take posts out of the queue', async (t, store) => {
    await store.savePosts(['1', '2', '3', '4', '5'].map((id) => newPost(id)));
    const page1 = await store.pendingPosts(2);
    t.deepEqual(page1.posts.map((p) => p.externalId), ['1', '2']);
    const page2 = await store.pendingPosts(2, page1.cursor);
    t.deepEqual(page2.posts.map((p) => p.externalId), ['3', '4']);
    await store.saveAnalyses([analysisOf('vk-test:1', ['яма']), analysisOf('vk-test:3', ['мусор'], [], { score: 0.8, level: 'high', reasons: ['Призыв срочно распространить'] })]);
    await store.markFailed('vk-test:4', 'classify: boom');
    t.deepEqual((await store.pendingPosts(10)).posts.map((p) => p.externalId), ['2', '5']);
    t.like(await store.stats(), { posts: 5, pending: 2, failed: 1 });
    t.like(await store.getPost('vk-test:4'), { status: 'failed', error: 'classify: boom' });
    const processed = await store.getPost('vk-test:3');
    t.is(processed?.status, 'processed');
    t.is(processed?.post.text, 'пост 3');
    t.deepEqual(processed?.analysis?.fake, { score: 0.8, level: 'high', reasons: ['Призыв срочно распространить'] });
    t.like(processed?.analysis, { isProblem: false, storyId: 'sto_vk-test:3', analyzedAt: '2026-11-25T00:00:00.000Z' });
  });

  contract('saveCollected stores posts and the cursor together; failures keep the cursor and count up', async (t, store) => {
    const at = '2026-11-20T10:00:00.000Z';
    const first = await store.saveCollected({ sourceId: 'vk-test', type: 'vk', posts: [newPost('1'), newPost('2')], cursor: { newest: 2 }, at });
    t.is(first.inserted.length, 2);
    t.like(await store.getSourceState('vk-test'), { cursor: { newest: 2 }, health: 'ok', postsCollected: 2, lastSuccessAt: at, newestPostAt: '2026-11-20T08:00:00.000Z' });
    await store.recordSourceFailure({ sourceId: 'vk-test', type: 'vk', at: '2026-11-20T11:00:00.000Z', code: 'ERR_TIMEOUT', message: 'timed out', health: 'failing' });
    await store.recordSourceFailure({ sourceId: 'vk-test', type: 'vk', at: '2026-11-20T12:00:00.000Z', code: 'ERR_TIMEOUT', message: 'timed out again', health: 'failing' });
    t.like(await store.getSourceState('vk-test'), { cursor: { newest: 2 }, health: 'failing', consecutiveFailures: 2, lastError: 'timed out again', lastErrorCode: 'ERR_TIMEOUT', lastSuccessAt: at });
    const again = await store.saveCollected({ sourceId: 'vk-test', type: 'vk', posts: [newPost('2'), newPost('3')], cursor: { newest: 3 }, at: '2026-11-20T13:00:00.000Z' });
    t.deepEqual(again.duplicates, ['vk-test:2']);
    t.like(await store.getSourceState('vk-test'), { cursor: { newest: 3 }, health: 'ok', consecutiveFailures: 0, postsCollected: 3 });
    await store.recordSourceFailure({ sourceId: 'ok-group', type: 'ok', at, code: 'ERR_AUTH', message: 'bad key', health: 'misconfigured' });
    t.deepEqual((await store.listSourceStates()).map((s) => [s.sourceId, s.health]), [['ok-group', 'misconfigured'], ['vk-test', 'ok']]);
    t.is(await store.getSourceState('never-run'), null);
  });

  contract('saveCollected is atomic: a post that cannot be stored leaves neither posts nor cursor behind', async (t, store) => {
    const bad = { ...newPost('2'), text: null as unknown as string };
    await t.throwsAsync(store.saveCollected({ sourceId: 'vk-test', type: 'vk', posts: [newPost('1'), bad], cursor: { newest: 2 }, at: '2026-11-20T10:00:00.000Z' }), { any: true });
    t.is((await store.stats()).posts, 0);
    t.is(await store.getSourceState('vk-test'), null);
  });

  contract('exportPosts pages through stored posts in collection order, optionally by source', async (t, store) => {
    await store.savePosts([newPost('1'), newPost('2', 'x', 'tg-other'), newPost('3')]);
    const page1 = await store.exportPosts(2);
    t.deepEqual(page1.posts.map((p) => p.id), ['vk-test:1', 'tg-other:2']);
    const page2 = await store.exportPosts(2, page1.cursor);
    t.deepEqual(page2.posts.map((p) => p.id), ['vk-test:3']);
    t.deepEqual((await store.exportPosts(10, null, 'tg-other')).posts.map((p) => p.id), ['tg-other:2']);
    t.deepEqual((await store.exportPosts(10, page2.cursor)).posts, []);
  });

  contract('stories: band lookups find earlier members, stats count distinct sources, storyPosts lists the posts', async (t, store) => {
    await store.savePosts([newPost('1', 'a', 'a', '2026-11-20T08:00:00.000Z'), newPost('2', 'b', 'a', '2026-11-20T10:00:00.000Z'), newPost('1', 'c', 'b', '2026-11-20T07:00:00.000Z')]);
    const sig = new Uint32Array([7, 7, 7, 7]);
    await store.addToStory({ storyId: 'sto_x', postId: 'a:1', source: 'a', seenAt: '2026-11-20T08:00:00.000Z', signature: sig, bandKeys: ['b0:1', 'b1:2'] });
    await store.addToStory({ storyId: 'sto_x', postId: 'a:2', source: 'a', seenAt: '2026-11-20T10:00:00.000Z', signature: sig, bandKeys: ['b0:1'] });
    const stats = await store.addToStory({ storyId: 'sto_x', postId: 'b:1', source: 'b', seenAt: '2026-11-20T07:00:00.000Z', signature: sig, bandKeys: ['b1:9'] });
    t.deepEqual(stats, { storyId: 'sto_x', size: 3, sources: 2, firstSeen: '2026-11-20T07:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' });
    const again = await store.addToStory({ storyId: 'sto_x', postId: 'b:1', source: 'b', seenAt: '2026-11-20T07:00:00.000Z', signature: sig, bandKeys: [] });
    t.is(again.size, 3, 'adding the same post twice does not grow the story');
    await store.addToStory({ storyId: 'sto_y', postId: 'c:1', source: 'c', seenAt: '2026-11-20T07:00:00.000Z', signature: new Uint32Array([9, 8, 7, 6]), semantic: new Uint32Array([5, 5]), bandKeys: ['b1:2'] });
    const candidates = await store.storyCandidates(['b0:1', 'b1:2'], 10);
    t.deepEqual(
      candidates.map((c) => [c.storyId, c.postId]),
      [
        ['sto_x', 'a:1'],
        ['sto_y', 'c:1'],
      ],
      'one representative per story, the member sharing most bands, stories sharing most bands first',
    );
    t.deepEqual([...(candidates[0]?.signature ?? [])], [7, 7, 7, 7]);
    t.is(candidates[0]?.semantic, null);
    t.deepEqual([...(candidates[1]?.semantic ?? [])], [5, 5], 'embedding sign bits come back with their member');
    t.deepEqual(await store.storyCandidates(['b9:0'], 10), []);
    t.deepEqual(await store.storyCandidates([], 10), []);
    t.deepEqual((await store.storyPosts('sto_x')).map((p) => p.id), ['b:1', 'a:1', 'a:2'], 'oldest first');
    t.like(await store.stats(), { stories: 2 });
  });

  contract('incidents: the first report creates one, later reports aggregate counts, sources, time range and urgency', async (t, store) => {
    await store.savePosts([newPost('1', 'a', 'vk-test', '2026-11-20T08:00:00.000Z'), newPost('2', 'b', 'vk-test', '2026-11-19T08:00:00.000Z'), newPost('3', 'c', 'tg-news', '2026-11-21T08:00:00.000Z')]);
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z', { placeKeys: ['addr:улица ленина|5', 'street:улица ленина'] }));
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:2', '2026-11-19T08:00:00.000Z', { urgency: 'high', placeKeys: ['addr:улица ленина|5'] }));
    await store.addIncidentReport(reportOf('inc_a', 'tg-news:3', '2026-11-21T08:00:00.000Z', { source: 'tg-news', placeKeys: ['geo:ucfv0j'], location: { lat: 56.3, lon: 44 } }));
    await store.addIncidentReport(reportOf('inc_a', 'tg-news:3', '2026-11-21T08:00:00.000Z', { source: 'tg-news' }));
    await store.addIncidentReport(reportOf('inc_a', 'tg-news:3', '2026-11-21T08:00:00.000Z', { source: 'tg-news', problemIndex: 1 }));
    const detail = await store.getIncident('inc_a');
    t.like(detail, {
      id: 'inc_a',
      title: 'Яма (vk-test:1)',
      category: 'roads',
      status: 'open',
      urgency: 'high',
      reportCount: 3,
      firstSeen: '2026-11-19T08:00:00.000Z',
      lastSeen: '2026-11-21T08:00:00.000Z',
      address: 'улица Ленина, 5',
      location: { lat: 56.3, lon: 44 },
    });
    t.deepEqual(detail?.sources, ['vk-test', 'tg-news']);
    t.deepEqual(detail?.posts.map((p) => p.post.id), ['vk-test:2', 'vk-test:1', 'tg-news:3'], 'posts oldest first');
    t.deepEqual(detail?.posts.map((p) => p.status), ['pending', 'pending', 'pending']);
    const candidates = await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['roads'], since, limit: 5 });
    t.deepEqual(candidates.map((c) => c.id), ['inc_a']);
    t.like(candidates[0], { category: 'roads', status: 'open', firstSeen: '2026-11-19T08:00:00.000Z', lastSeen: '2026-11-21T08:00:00.000Z' });
    t.deepEqual([...(candidates[0]?.placeKeys ?? [])].sort(), ['addr:tg-news:3', 'addr:улица ленина|5', 'geo:ucfv0j', 'street:улица ленина']);
    t.deepEqual([...(candidates[0]?.signature ?? [])], [1, 2, 3, 4]);
    t.deepEqual(await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['waste'], since, limit: 5 }), [], 'another category');
    t.deepEqual(await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['roads'], since: '2026-11-22T00:00:00.000Z', limit: 5 }), [], 'outside the window');
    t.deepEqual(await store.incidentCandidates({ placeKeys: ['geo:other'], categories: ['roads'], since, limit: 5 }), []);
    await store.saveAnalyses([analysisOf('vk-test:1', ['яма'], ['inc_a'], { score: 0.8, level: 'high', reasons: ['слухи'] }), analysisOf('vk-test:2', ['яма'], ['inc_a'], { score: 0.3, level: 'low', reasons: [] })]);
    const risky = await store.getIncident('inc_a');
    t.deepEqual(risky?.fakeRisk, { score: 0.8, level: 'high', reasons: ['слухи'] }, 'the riskiest report sets the incident risk');
    t.deepEqual(risky?.posts.map((p) => p.status), ['processed', 'processed', 'pending']);
    t.is(await store.getIncident('inc_missing'), null);
    t.like(await store.stats(), { incidents: 1 });
  });

  contract('incident candidates: incidents holding more of the query’s keys first, then the most recent', async (t, store) => {
    await store.addIncidentReport(reportOf('inc_both', 'p:1', '2026-11-10T08:00:00.000Z', { placeKeys: ['street:мира', 'term:люк'] }));
    await store.addIncidentReport(reportOf('inc_street', 'p:2', '2026-11-20T08:00:00.000Z', { placeKeys: ['street:мира'] }));
    await store.addIncidentReport(reportOf('inc_term', 'p:3', '2026-11-21T08:00:00.000Z', { placeKeys: ['term:люк'], category: 'urban' }));
    await store.addIncidentReport(reportOf('inc_waste', 'p:4', '2026-11-22T08:00:00.000Z', { placeKeys: ['term:люк', 'muni:бор'], category: 'waste' }));
    const query = { placeKeys: ['street:мира', 'term:люк', 'muni:бор'], categories: ['roads', 'urban'], since, limit: 10 };
    t.deepEqual((await store.incidentCandidates(query)).map((c) => c.id), ['inc_both', 'inc_term', 'inc_street']);
    t.deepEqual((await store.incidentCandidates({ ...query, categories: ['roads', 'urban', 'waste'], broadCategories: ['roads'] })).map((c) => c.id), ['inc_both', 'inc_waste', 'inc_term', 'inc_street']);
    t.deepEqual((await store.incidentCandidates({ ...query, limit: 1 })).map((c) => c.id), ['inc_both']);
  });

  contract('incident candidates: specific keys up to the limit, newest first; a broad key reads the latest few per category', async (t, store) => {
    for (let i = 0; i < 6; i++) {
      await store.addIncidentReport(reportOf(`inc_s${i}`, `p:${i}`, `2026-11-2${i}T08:00:00.000Z`, { placeKeys: ['street:мира', `addr:мира|${i}`] }));
    }
    const specific = await store.incidentCandidates({ placeKeys: ['street:мира'], categories: ['roads', 'urban'], since, limit: 4 });
    t.deepEqual(specific.map((c) => c.id), ['inc_s5', 'inc_s4', 'inc_s3', 'inc_s2']);
    for (let i = 0; i < BROAD_KEY_ROWS + 3; i++) {
      const day = String(1 + Math.floor(i / 10)).padStart(2, '0');
      await store.addIncidentReport(reportOf(`inc_m${String(i).padStart(2, '0')}`, `m:${i}`, `2026-11-${day}T${String(i % 10).padStart(2, '0')}:00:00.000Z`, { placeKeys: ['muni:бор'] }));
    }
    const broad = await store.incidentCandidates({ placeKeys: ['muni:бор'], categories: ['roads'], since, limit: 100 });
    t.is(broad.length, BROAD_KEY_ROWS, 'a whole town is read by recency, never exhaustively');
    t.is(broad[0]?.id, `inc_m${String(BROAD_KEY_ROWS + 2).padStart(2, '0')}`);
    const both = await store.incidentCandidates({ placeKeys: ['muni:бор', 'addr:мира|1'], categories: ['roads'], since, limit: 100 });
    t.true(both.some((c) => c.id === 'inc_s1'));
    t.is(both.length, BROAD_KEY_ROWS + 1);
    // A feed is read like a town: its recent incidents in the categories asked for.
    await store.addIncidentReport(reportOf('inc_f1', 'f:1', '2026-11-20T09:00:00.000Z', { category: 'housing', placeKeys: ['src:tg-house', 'topic:elevator'] }));
    await store.addIncidentReport(reportOf('inc_f2', 'f:2', '2026-11-20T10:00:00.000Z', { category: 'roads', placeKeys: ['src:tg-house'] }));
    const feed = await store.incidentCandidates({ placeKeys: ['src:tg-house'], categories: ['housing', 'roads'], broadCategories: ['housing'], since, limit: 100 });
    t.deepEqual(feed.map((c) => c.id), ['inc_f1']);
  });

  contract('the feed pages in a stable order with filters and full-text search', async (t, store) => {
    await store.savePosts(Array.from({ length: 25 }, (_, i) => newPost(String(i))));
    for (let i = 0; i < 25; i++) {
      // Several incidents share a timestamp so that the id tie-break matters.
      const seenAt = `2026-11-${String(10 + Math.floor(i / 3)).padStart(2, '0')}T08:00:00.000Z`;
      const id = `inc_${String(i).padStart(2, '0')}`;
      await store.addIncidentReport(reportOf(id, `vk-test:${i}`, seenAt, { category: i % 2 ? 'roads' : 'waste', municipality: i < 5 ? 'Дзержинск' : 'Нижний Новгород' }));
      await store.saveAnalyses([analysisOf(`vk-test:${i}`, i === 7 ? ['контейнер', 'переполнен'] : ['яма', 'на', 'дороге'], [id])]);
    }
    await store.setIncidentStatus('inc_03', 'resolved', null, AT);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: readonly { id: string }[]; nextCursor: string | null } = await store.listIncidents({}, { limit: 10, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    t.is(pages, 3);
    t.is(new Set(seen).size, 25);
    const all = (await store.listIncidents({}, { limit: 100 })).items;
    t.deepEqual(seen, all.map((i) => i.id));
    t.is(all[0]?.id, 'inc_24');
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      t.true(a!.lastSeen > b!.lastSeen || (a!.lastSeen === b!.lastSeen && a!.id > b!.id));
    }
    t.is((await store.listIncidents({ categories: ['roads'] }, { limit: 100 })).items.length, 12);
    t.deepEqual((await store.listIncidents({ statuses: ['resolved'] }, { limit: 100 })).items.map((i) => i.id), ['inc_03']);
    t.is((await store.listIncidents({ municipality: 'дзержинск' }, { limit: 100 })).items.length, 5, 'municipality ignores case');
    t.is((await store.listIncidents({ municipality: 'ДЗЕРЖИНСК' }, { limit: 100 })).items.length, 5);
    t.is((await store.listIncidents({ from: '2026-11-17T00:00:00.000Z' }, { limit: 100 })).items.length, 4);
    t.is((await store.listIncidents({ to: '2026-11-10T23:00:00.000Z' }, { limit: 100 })).items.length, 3);
    t.deepEqual((await store.listIncidents({ q: 'Контейнер' }, { limit: 100 })).items.map((i) => i.id), ['inc_07']);
    t.deepEqual((await store.listIncidents({ q: 'контейнер переполнен' }, { limit: 100 })).items.map((i) => i.id), ['inc_07']);
    t.deepEqual((await store.listIncidents({ q: 'контейнер дороге' }, { limit: 100 })).items, [], 'every word in one post');
    t.deepEqual((await store.listIncidents({ q: '   ' }, { limit: 100 })).items, []);
    t.deepEqual((await store.listIncidents({ categories: ['roads'], q: 'яма', municipality: 'Дзержинск' }, { limit: 100 })).items.map((i) => i.id), ['inc_03', 'inc_01']);
    await t.throwsAsync(store.listIncidents({}, { limit: 10, cursor: 'not-a-cursor' }), { instanceOf: ValidationError });
  });

  contract('analysts’ status decisions are kept in the history and come back after resetAnalyses', async (t, store) => {
    await store.savePosts([newPost('1'), newPost('2'), newPost('3')]);
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
    t.like(await store.setIncidentStatus('inc_a', 'in_progress', 'взяли в работу', '2026-11-21T00:00:00.000Z'), { id: 'inc_a', status: 'in_progress' });
    t.like(await store.setIncidentStatus('inc_a', 'resolved', null, '2026-11-22T00:00:00.000Z'), { status: 'resolved' });
    t.is(await store.setIncidentStatus('inc_nope', 'resolved', null, AT), null);
    t.deepEqual(await store.incidentHistory('inc_a'), [
      { kind: 'status', status: 'in_progress', fromIds: [], toId: null, reports: [], note: 'взяли в работу', at: '2026-11-21T00:00:00.000Z' },
      { kind: 'status', status: 'resolved', fromIds: [], toId: null, reports: [], note: null, at: '2026-11-22T00:00:00.000Z' },
    ]);
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:2', '2026-11-21T12:00:00.000Z'));
    t.is((await store.getIncident('inc_a'))?.status, 'resolved', 'a report from before the decision does not reopen it');
    t.is(await store.resetAnalyses(), 3);
    t.like(await store.stats(), { incidents: 0, pending: 3 });
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
    t.is((await store.getIncident('inc_a'))?.status, 'resolved', 'a rebuilt incident takes back the last decision');
    t.is((await store.incidentHistory('inc_a')).length, 2);
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:3', '2026-11-23T08:00:00.000Z'));
    t.is((await store.getIncident('inc_a'))?.status, 'open', 'a report after the decision reopens it instead of spawning a twin');
  });

  contract('resetAnalyses makes every post pending again and drops everything derived', async (t, store) => {
    await store.savePosts([newPost('1'), newPost('2')]);
    await store.addToStory({ storyId: 'sto_a', postId: 'vk-test:1', source: 'vk-test', seenAt: '2026-11-20T08:00:00.000Z', signature: new Uint32Array([1]), bandKeys: ['b0:1'] });
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
    await store.saveAnalyses([analysisOf('vk-test:1', ['яма'], ['inc_a'])]);
    await store.markFailed('vk-test:2', 'extract: boom');
    t.like(await store.stats(), { posts: 2, pending: 0, failed: 1, incidents: 1, stories: 1 });
    t.is(await store.resetAnalyses(), 2);
    t.like(await store.stats(), { posts: 2, pending: 2, failed: 0, incidents: 0, stories: 0 });
    t.like(await store.getPost('vk-test:1'), { status: 'pending', analysis: null });
    t.deepEqual(await store.storyCandidates(['b0:1'], 10), []);
    t.deepEqual(await store.incidentCandidates({ placeKeys: ['addr:vk-test:1'], categories: ['roads'], since, limit: 5 }), []);
    t.deepEqual((await store.listIncidents({}, { limit: 10 })).items, []);
    t.deepEqual((await store.pendingPosts(10)).posts.map((p) => p.id), ['vk-test:1', 'vk-test:2']);
  });

  contract('a batch sees its own writes at once and leaves nothing behind when it fails', async (t, store) => {
    await store.savePosts([newPost('1'), newPost('2')]);
    const sig = new Uint32Array([3, 3]);
    const seen = await store.batch(async () => {
      await store.addToStory({ storyId: 'sto_a', postId: 'vk-test:1', source: 'vk-test', seenAt: '2026-11-20T08:00:00.000Z', signature: sig, bandKeys: ['b0:7'] });
      await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z', { placeKeys: ['street:мира'] }));
      const stories = await store.storyCandidates(['b0:7'], 5);
      const incidents = await store.incidentCandidates({ placeKeys: ['street:мира'], categories: ['roads'], since, limit: 5 });
      await store.saveAnalyses([analysisOf('vk-test:1', ['яма'], ['inc_a'])]);
      return { stories: stories.map((c) => c.storyId), incidents: incidents.map((c) => c.id) };
    });
    t.deepEqual(seen, { stories: ['sto_a'], incidents: ['inc_a'] });
    t.like(await store.stats(), { stories: 1, incidents: 1, pending: 1 });
    t.deepEqual((await store.storyCandidates(['b0:7'], 5)).map((c) => c.storyId), ['sto_a'], 'and every later lookup sees them');
    await t.throwsAsync(
      store.batch(async () => {
        await store.addToStory({ storyId: 'sto_b', postId: 'vk-test:2', source: 'vk-test', seenAt: '2026-11-20T09:00:00.000Z', signature: sig, bandKeys: ['b0:8'] });
        await store.addIncidentReport(reportOf('inc_b', 'vk-test:2', '2026-11-20T09:00:00.000Z'));
        await store.saveAnalyses([analysisOf('vk-test:2', ['мусор'], ['inc_b'])]);
        throw new Error('stage crashed');
      }),
      { message: 'stage crashed' },
    );
    t.like(await store.stats(), { stories: 1, incidents: 1, pending: 1 }, 'the failed batch left nothing behind');
    t.deepEqual(await store.storyCandidates(['b0:8'], 5), []);
    t.is(await store.getIncident('inc_b'), null);
    t.is((await store.getPost('vk-test:2'))?.status, 'pending');
  });

  contract('refutations: registered, listed newest first, and found by shared bands', async (t, store) => {
    const refutation = (id: string, createdAt: string) => ({ id, claim: `ложное утверждение ${id}`, text: null, url: `https://gov.example/${id}`, topic: null, publishedAt: null, createdAt });
    t.deepEqual(await store.addRefutation({ refutation: refutation('ref_a', '2026-11-20T08:00:00.000Z'), signature: new Uint32Array([4, 4]), bandKeys: ['b0:1', 'b1:1'] }), refutation('ref_a', '2026-11-20T08:00:00.000Z'));
    await store.addRefutation({ refutation: { ...refutation('ref_b', '2026-11-21T08:00:00.000Z'), topic: 'вода', text: 'Опровержение' }, signature: new Uint32Array([5, 5]), bandKeys: ['b1:1', 'b2:2'] });
    t.deepEqual(await store.getRefutation('ref_a'), refutation('ref_a', '2026-11-20T08:00:00.000Z'));
    t.is(await store.getRefutation('ref_nope'), null);
    t.deepEqual((await store.listRefutations(10)).map((r) => r.id), ['ref_b', 'ref_a']);
    t.deepEqual((await store.listRefutations(1)).map((r) => r.id), ['ref_b']);
    const found = await store.refutationCandidates(['b2:2'], 5);
    t.deepEqual(found.map((c) => [c.refutation.id, c.refutation.topic, [...c.signature]]), [['ref_b', 'вода', [5, 5]]]);
    t.deepEqual((await store.refutationCandidates(['b0:1', 'b1:1'], 5)).map((c) => c.refutation.id).sort(), ['ref_a', 'ref_b']);
    t.deepEqual(await store.refutationCandidates(['b9:9'], 5), []);
  });

  contract('flags: one per story and platform, status changes kept in the history', async (t, store) => {
    const flagged = await store.flagStory({ storyId: 'sto_a', platform: 'vk', reason: 'фейк', refutationId: 'ref_a', at: '2026-11-20T08:00:00.000Z' });
    t.like(flagged, { storyId: 'sto_a', platform: 'vk', status: 'flagged', reason: 'фейк', refutationId: 'ref_a', note: null, createdAt: '2026-11-20T08:00:00.000Z' });
    const again = await store.flagStory({ storyId: 'sto_a', platform: 'vk', reason: 'другое', refutationId: null, at: '2026-11-21T08:00:00.000Z' });
    t.deepEqual(again, flagged, 'an existing flag is returned unchanged');
    await store.flagStory({ storyId: 'sto_a', platform: 'ok', reason: 'фейк', refutationId: null, at: '2026-11-20T09:00:00.000Z' });
    const reported = await store.updateFlag('sto_a', 'vk', 'reported', 'отправлено', '2026-11-22T08:00:00.000Z');
    t.like(reported, { status: 'reported', note: 'отправлено', updatedAt: '2026-11-22T08:00:00.000Z', createdAt: '2026-11-20T08:00:00.000Z' });
    t.deepEqual(reported?.history, [
      { status: 'flagged', at: '2026-11-20T08:00:00.000Z', note: null },
      { status: 'reported', at: '2026-11-22T08:00:00.000Z', note: 'отправлено' },
    ]);
    t.deepEqual((await store.storyFlags('sto_a')).map((f) => [f.platform, f.status]), [['ok', 'flagged'], ['vk', 'reported']]);
    t.is(await store.updateFlag('sto_a', 'telegram', 'reported', null, AT), null);
    t.deepEqual(await store.storyFlags('sto_none'), []);
  });

  contract('merge and split move reports, pin them, redirect merged ids and survive resetAnalyses', async (t, store) => {
    await store.savePosts(['1', '2', '3'].map((id) => newPost(id)));
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:2', '2026-11-21T08:00:00.000Z', { source: 'tg-news', urgency: 'high', placeKeys: ['geo:ucfv0j'] }));
    await store.addIncidentReport(reportOf('inc_b', 'vk-test:3', '2026-11-19T08:00:00.000Z', { placeKeys: ['addr:гагарина|1'] }));
    await store.saveAnalyses([analysisOf('vk-test:1', ['яма'], ['inc_a']), analysisOf('vk-test:2', ['яма'], ['inc_a']), analysisOf('vk-test:3', ['яма'], ['inc_b'], { score: 0.7, level: 'high', reasons: ['риск'] })]);
    const merged = await store.mergeIncidents('inc_a', ['inc_b'], 'одна яма', AT);
    t.like(merged, { id: 'inc_a', reportCount: 3, firstSeen: '2026-11-19T08:00:00.000Z', urgency: 'high' });
    t.is(merged.fakeRisk.score, 0.7);
    t.like(await store.getIncident('inc_b'), { id: 'inc_a', redirectedFrom: 'inc_b' });
    t.deepEqual((await store.listIncidents({}, { limit: 10 })).items.map((i) => i.id), ['inc_a']);
    t.deepEqual((await store.incidentCandidates({ placeKeys: ['addr:гагарина|1'], categories: ['roads'], since, limit: 5 })).map((c) => c.id), ['inc_a']);
    t.is((await store.getPost('vk-test:3'))?.analysis?.problems[0]?.incidentId, 'inc_a');
    t.deepEqual([...(await store.incidentPins('vk-test:3'))], [[0, 'inc_a']]);
    await t.throwsAsync(store.mergeIncidents('inc_a', ['inc_b'], null, AT), { instanceOf: ConflictError });
    await t.throwsAsync(store.mergeIncidents('inc_a', ['inc_a'], null, AT), { instanceOf: ValidationError });
    await t.throwsAsync(store.mergeIncidents('inc_nope', ['inc_a'], null, AT), { instanceOf: NotFoundError });

    const { original, created } = await store.splitIncident('inc_a', [{ postId: 'vk-test:2', problemIndex: 0 }], 'другая яма', AT);
    t.is(created.id, makeId('inc', 'split:inc_a:vk-test:2#0'));
    t.like(created, { reportCount: 1, urgency: 'high', firstSeen: '2026-11-21T08:00:00.000Z' });
    t.deepEqual(created.sources, ['tg-news']);
    t.like(original, { id: 'inc_a', reportCount: 2, lastSeen: '2026-11-20T08:00:00.000Z' });
    t.deepEqual((await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['roads'], since, limit: 5 })).map((c) => c.id), [created.id]);
    t.deepEqual([...(await store.incidentPins('vk-test:2'))], [[0, created.id]]);
    await t.throwsAsync(store.splitIncident('inc_a', [], null, AT), { instanceOf: ValidationError });
    await t.throwsAsync(store.splitIncident('inc_a', [{ postId: 'vk-test:2', problemIndex: 0 }], null, AT), { instanceOf: ValidationError, message: /a report of inc_/ });
    t.deepEqual((await store.incidentHistory('inc_a')).map((d) => [d.kind, d.fromIds, d.toId]), [
      ['merge', ['inc_b'], 'inc_a'],
      ['split', ['inc_a'], created.id],
    ]);

    await store.resetAnalyses();
    t.like(await store.stats(), { incidents: 0 });
    t.deepEqual([...(await store.incidentPins('vk-test:3'))], [[0, 'inc_a']], 'pins survive reprocessing');
    t.is(await store.getIncident('inc_b'), null, 'a redirect to an incident not rebuilt yet answers nothing');
    await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
    t.is((await store.getIncident('inc_b'))?.id, 'inc_a', 'once rebuilt, the old id redirects again');
  });

  contract('facets count the filtered incidents by category, municipality, day and geohash cell', async (t, store) => {
    const NN = { lat: 56.3269, lon: 44.0059 };
    const DZ = { lat: 56.2389, lon: 43.4631 };
    const rows = [
      { id: 'inc_1', at: '2026-11-20T08:00:00.000Z', category: 'roads', municipality: 'Нижний Новгород', location: NN, words: ['яма'] },
      { id: 'inc_2', at: '2026-11-20T23:30:00.000Z', category: 'roads', municipality: 'Нижний Новгород', location: NN, words: ['яма'] },
      { id: 'inc_3', at: '2026-11-21T09:00:00.000Z', category: 'waste', municipality: 'Дзержинск', location: DZ, words: ['мусор'] },
      { id: 'inc_4', at: '2026-11-21T10:00:00.000Z', category: 'waste', municipality: 'дзержинск', location: null, words: ['мусор'] },
      { id: 'inc_5', at: '2026-11-22T10:00:00.000Z', category: 'roads', municipality: null, location: null, words: ['яма'] },
    ];
    await store.savePosts(rows.map((_, i) => newPost(String(i + 1))));
    for (const [i, row] of rows.entries()) {
      await store.addIncidentReport(reportOf(row.id, `vk-test:${i + 1}`, row.at, { category: row.category, municipality: row.municipality, location: row.location }));
      await store.saveAnalyses([analysisOf(`vk-test:${i + 1}`, row.words, [row.id])]);
    }
    const facets = await store.incidentFacets({}, { geoPrecision: 5 });
    t.is(facets.total, 5);
    t.deepEqual(facets.categories, [{ key: 'roads', count: 3 }, { key: 'waste', count: 2 }]);
    t.deepEqual(facets.municipalities, [{ key: 'Дзержинск', count: 2 }, { key: 'Нижний Новгород', count: 2 }]);
    t.deepEqual(facets.days, [{ key: '2026-11-20', count: 2 }, { key: '2026-11-21', count: 2 }, { key: '2026-11-22', count: 1 }]);
    t.deepEqual(facets.geo.map((c) => [c.geohash, c.count]), [[geohash(NN.lat, NN.lon, 5), 2], [geohash(DZ.lat, DZ.lon, 5), 1]]);
    t.is(geohash(facets.geo[0]?.center.lat ?? 0, facets.geo[0]?.center.lon ?? 0, 5), geohash(NN.lat, NN.lon, 5));
    const waste = await store.incidentFacets({ categories: ['waste'], q: 'мусор' }, { geoPrecision: 3 });
    t.is(waste.total, 2);
    t.deepEqual(waste.geo.map((c) => c.geohash), [geohash(DZ.lat, DZ.lon, 3)]);
    t.deepEqual((await store.incidentFacets({ q: '  ' }, { geoPrecision: 5 })).total, 0);
    await t.throwsAsync(store.incidentFacets({}, { geoPrecision: 9 }), { instanceOf: ValidationError });
  });
};
