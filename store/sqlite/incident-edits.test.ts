import test from 'ava';
import Database from 'better-sqlite3';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { makeId } from '../../core/ids.js';
import { emptyFacts } from '../../core/types.js';
import { analysisOf, newPost, reportOf } from '../test-fixtures.js';
import { openStore, tempDb } from './test-fixtures.js';

const facts = (street: string) => ({ ...emptyFacts(), addresses: [{ text: street, street, span: { start: 0, end: street.length } }] });

/**
 * inc_a: vk-test:1 (Nov 20, medium), vk-test:2 (Nov 21, high, tg-news); inc_b: vk-test:3 (Nov 19, Дзержинск);
 * inc_c: vk-test:4 (Nov 22). Posts 2 and 3 carry fake risk.
 */
const seed = async (path = tempDb()) => {
  const store = openStore(path);
  await store.savePosts(['1', '2', '3', '4'].map((id) => newPost(id)));
  await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z', { facts: facts('улица Ленина'), placeKeys: ['addr:ленина|5', 'street:ленина'] }));
  await store.addIncidentReport(
    reportOf('inc_a', 'vk-test:2', '2026-11-21T08:00:00.000Z', { source: 'tg-news', urgency: 'high', placeKeys: ['addr:ленина|5', 'geo:ucfv0j'], location: { lat: 56.3, lon: 44 } }),
  );
  await store.addIncidentReport(
    reportOf('inc_b', 'vk-test:3', '2026-11-19T08:00:00.000Z', { municipality: 'Дзержинск', facts: facts('улица Гагарина'), placeKeys: ['addr:гагарина|1'], title: 'Яма на Гагарина' }),
  );
  await store.addIncidentReport(reportOf('inc_c', 'vk-test:4', '2026-11-22T08:00:00.000Z', { placeKeys: ['addr:мира|3'] }));
  await store.saveAnalyses([
    analysisOf('vk-test:1', ['яма'], ['inc_a']),
    analysisOf('vk-test:2', ['яма'], ['inc_a'], { score: 0.4, level: 'medium', reasons: ['средний риск'] }),
    analysisOf('vk-test:3', ['яма'], ['inc_b'], { score: 0.7, level: 'high', reasons: ['высокий риск'] }),
    analysisOf('vk-test:4', ['яма'], ['inc_c']),
  ]);
  return store;
};

const since = '2026-11-01T00:00:00.000Z';
const AT = '2026-11-25T10:00:00.000Z';

test('merge moves every report into the target, recomputes it, and leaves a redirect for the source', async (t) => {
  const store = await seed();
  const merged = await store.mergeIncidents('inc_a', ['inc_b'], 'одна и та же яма', AT);
  t.like(merged, {
    id: 'inc_a',
    title: 'Яма (vk-test:1)',
    status: 'open',
    urgency: 'high',
    reportCount: 3,
    firstSeen: '2026-11-19T08:00:00.000Z',
    lastSeen: '2026-11-21T08:00:00.000Z',
    municipality: 'Нижний Новгород',
  });
  t.deepEqual([...merged.sources].sort(), ['tg-news', 'vk-test']);
  t.deepEqual(merged.facts.addresses.map((a) => a.text).sort(), ['улица Гагарина', 'улица Ленина']);
  t.is(merged.fakeRisk.score, 0.7, 'the riskiest report of either incident sets the risk');

  const detail = await store.getIncident('inc_b');
  t.is(detail?.id, 'inc_a');
  t.is(detail?.redirectedFrom, 'inc_b');
  t.deepEqual(detail?.posts.map((p) => p.post.id).sort(), ['vk-test:1', 'vk-test:2', 'vk-test:3']);
  t.is((await store.getIncident('inc_a'))?.redirectedFrom, undefined);
  t.deepEqual((await store.listIncidents({}, { limit: 10 })).items.map((i) => i.id), ['inc_c', 'inc_a'], 'the merged-away id leaves the feed');
  t.like(await store.stats(), { incidents: 2 });

  const byOldKey = await store.incidentCandidates({ placeKeys: ['addr:гагарина|1'], categories: ['roads'], since, limit: 5 });
  t.deepEqual(byOldKey.map((c) => c.id), ['inc_a'], "the source's place keys now find the target");
  t.is((await store.getPost('vk-test:3'))?.analysis?.problems[0]?.incidentId, 'inc_a', 'post views point at the target');

  for (const post of ['vk-test:1', 'vk-test:2', 'vk-test:3']) t.deepEqual([...(await store.incidentPins(post))], [[0, 'inc_a']], `${post} is pinned to the target`);
  t.deepEqual([...(await store.incidentPins('vk-test:4'))], [], 'reports nobody touched are not pinned');

  const expected = { kind: 'merge', status: null, fromIds: ['inc_b'], toId: 'inc_a', reports: [], note: 'одна и та же яма', at: AT };
  t.deepEqual(await store.incidentHistory('inc_a'), [expected]);
  t.deepEqual(await store.incidentHistory('inc_b'), [expected]);
});

test('merge keeps the target status and follows redirects; chains of merges stay one hop', async (t) => {
  const store = await seed();
  await store.setIncidentStatus('inc_a', 'in_progress', null, '2026-11-24T00:00:00.000Z');
  await store.mergeIncidents('inc_a', ['inc_b'], null, AT);
  const viaOldId = await store.mergeIncidents('inc_b', ['inc_c'], null, AT);
  t.is(viaOldId.id, 'inc_a', 'a merged-away target id is followed to its incident');
  t.is(viaOldId.status, 'in_progress');
  t.is(viaOldId.reportCount, 4);
  await store.savePosts([newPost('5')]);
  await store.addIncidentReport(reportOf('inc_d', 'vk-test:5', '2026-11-23T08:00:00.000Z'));
  await store.mergeIncidents('inc_d', ['inc_a'], null, AT);
  for (const old of ['inc_a', 'inc_b', 'inc_c']) t.is((await store.getIncident(old))?.id, 'inc_d', `${old} redirects to the latest target`);
  t.deepEqual([...(await store.incidentPins('vk-test:3'))], [[0, 'inc_d']]);
  t.is((await store.getIncident('inc_d'))?.reportCount, 5);
});

test('merge refuses unknown ids, the target itself, an empty list and a source merged already', async (t) => {
  const store = await seed();
  await t.throwsAsync(store.mergeIncidents('inc_nope', ['inc_b'], null, AT), { instanceOf: NotFoundError, message: /inc_nope/ });
  await t.throwsAsync(store.mergeIncidents('inc_a', ['inc_b', 'inc_nope'], null, AT), { instanceOf: NotFoundError, message: /inc_nope/ });
  const itself = await t.throwsAsync(store.mergeIncidents('inc_a', ['inc_b', 'inc_a'], null, AT), { instanceOf: ValidationError, message: /into itself/ });
  t.deepEqual(itself?.issues.map((i) => i.path), ['incident_ids.1']);
  await t.throwsAsync(store.mergeIncidents('inc_a', [], null, AT), { instanceOf: ValidationError, message: /at least one incident id/ });
  t.is((await store.getIncident('inc_b'))?.redirectedFrom, undefined, 'a refused merge changes nothing');
  await store.mergeIncidents('inc_a', ['inc_b'], null, AT);
  await t.throwsAsync(store.mergeIncidents('inc_a', ['inc_b'], null, AT), { instanceOf: ConflictError, message: /inc_b" was already merged into inc_a/ });
});

test('split moves the listed reports into a new incident with a deterministic id; both halves are recomputed', async (t) => {
  const store = await seed();
  const { original, created } = await store.splitIncident('inc_a', [{ postId: 'vk-test:2', problemIndex: 0 }], 'разные ямы', AT);
  t.is(created.id, makeId('inc', 'split:inc_a:vk-test:2#0'));
  t.like(created, { status: 'open', urgency: 'high', reportCount: 1, firstSeen: '2026-11-21T08:00:00.000Z', title: 'Яма (vk-test:2)' });
  t.deepEqual(created.sources, ['tg-news']);
  t.deepEqual(created.location, { lat: 56.3, lon: 44 });
  t.is(created.fakeRisk.score, 0.4);
  t.like(original, { id: 'inc_a', urgency: 'medium', reportCount: 1, lastSeen: '2026-11-20T08:00:00.000Z', location: null });
  t.deepEqual(original.sources, ['vk-test']);
  t.is(original.fakeRisk.score, 0, 'the risky report left with the split');

  const byGeo = await store.incidentCandidates({ placeKeys: ['geo:ucfv0j'], categories: ['roads'], since, limit: 5 });
  t.deepEqual(byGeo.map((c) => c.id), [created.id], 'the moved report took its keys along');
  const byAddr = await store.incidentCandidates({ placeKeys: ['addr:ленина|5'], categories: ['roads'], since, limit: 5 });
  t.deepEqual(byAddr.map((c) => c.id).sort(), [created.id, 'inc_a'].sort(), 'keys both halves share stay on both');

  t.deepEqual([...(await store.incidentPins('vk-test:2'))], [[0, created.id]]);
  t.deepEqual([...(await store.incidentPins('vk-test:1'))], [[0, 'inc_a']]);
  t.deepEqual((await store.getIncident(created.id))?.posts.map((p) => p.post.id), ['vk-test:2']);
  t.is((await store.getPost('vk-test:2'))?.analysis?.problems[0]?.incidentId, created.id);
  const expected = { kind: 'split', status: null, fromIds: ['inc_a'], toId: created.id, reports: [{ postId: 'vk-test:2', problemIndex: 0 }], note: 'разные ямы', at: AT };
  t.deepEqual(await store.incidentHistory('inc_a'), [expected]);
  t.deepEqual(await store.incidentHistory(created.id), [expected]);
});

test('split refuses an empty list, reports of other incidents, every report, and unknown incidents', async (t) => {
  const store = await seed();
  await t.throwsAsync(store.splitIncident('inc_nope', [{ postId: 'vk-test:1', problemIndex: 0 }], null, AT), { instanceOf: NotFoundError });
  await t.throwsAsync(store.splitIncident('inc_a', [], null, AT), { instanceOf: ValidationError, message: /at least one report/ });
  const foreign = await t.throwsAsync(store.splitIncident('inc_a', [{ postId: 'vk-test:1', problemIndex: 0 }, { postId: 'vk-test:3', problemIndex: 0 }], null, AT), {
    instanceOf: ValidationError,
  });
  t.regex(foreign?.message ?? '', /expected reports of incident inc_a, got post "vk-test:3" problem 0, a report of inc_b/);
  t.deepEqual(foreign?.issues.map((i) => i.path), ['reports.1']);
  await t.throwsAsync(store.splitIncident('inc_a', [{ postId: 'vk-test:1', problemIndex: 7 }], null, AT), { message: /not a report of any incident/ });
  await t.throwsAsync(
    store.splitIncident('inc_a', [{ postId: 'vk-test:1', problemIndex: 0 }, { postId: 'vk-test:2', problemIndex: 0 }], null, AT),
    { instanceOf: ValidationError, message: /expected to leave at least one of the 2 reports in incident inc_a, got all of them/ },
  );
  t.is((await store.getIncident('inc_a'))?.reportCount, 2, 'a refused split changes nothing');
  t.deepEqual([...(await store.incidentPins('vk-test:1'))], []);
});

test('pins and redirects survive resetAnalyses; derived incidents do not', async (t) => {
  const store = await seed();
  await store.mergeIncidents('inc_a', ['inc_b'], null, AT);
  const { created } = await store.splitIncident('inc_a', [{ postId: 'vk-test:3', problemIndex: 0 }], null, AT);
  await store.resetAnalyses();
  t.like(await store.stats(), { incidents: 0 });
  t.deepEqual([...(await store.incidentPins('vk-test:1'))], [[0, 'inc_a']]);
  t.deepEqual([...(await store.incidentPins('vk-test:3'))], [[0, created.id]]);
  t.is(await store.getIncident('inc_b'), null, 'a redirect to an incident not rebuilt yet answers nothing');
  // What the pipeline does on reprocess: every pinned report goes to its pinned incident.
  await store.addIncidentReport(reportOf('inc_a', 'vk-test:1', '2026-11-20T08:00:00.000Z'));
  t.is((await store.getIncident('inc_b'))?.id, 'inc_a', 'once rebuilt, the old id redirects again');
  t.deepEqual((await store.incidentHistory('inc_a')).map((d) => d.kind), ['merge', 'split']);
});

test('the same split made again after merging it back revives its id', async (t) => {
  const store = await seed();
  const first = await store.splitIncident('inc_a', [{ postId: 'vk-test:2', problemIndex: 0 }], null, AT);
  await store.mergeIncidents('inc_a', [first.created.id], null, AT);
  t.is((await store.getIncident(first.created.id))?.redirectedFrom, first.created.id);
  const again = await store.splitIncident('inc_a', [{ postId: 'vk-test:2', problemIndex: 0 }], null, AT);
  t.is(again.created.id, first.created.id);
  t.is((await store.getIncident(first.created.id))?.redirectedFrom, undefined);
  t.deepEqual((await store.listIncidents({}, { limit: 10 })).items.map((i) => i.id).sort(), ['inc_a', 'inc_b', 'inc_c', first.created.id].sort());
});

test('reports stored before schema version 6 split with their incident values standing in', async (t) => {
  const path = tempDb();
  const store = await seed(path);
  const db = new Database(path);
  db.prepare("UPDATE incident_reports SET detail = NULL, signature = NULL WHERE incident_id = 'inc_a'").run();
  db.close();
  const { original, created } = await store.splitIncident('inc_a', [{ postId: 'vk-test:2', problemIndex: 0 }], null, AT);
  t.like(created, { reportCount: 1, urgency: 'high', title: 'Яма (vk-test:1)', category: 'roads', firstSeen: '2026-11-21T08:00:00.000Z' });
  t.like(original, { reportCount: 1, firstSeen: '2026-11-20T08:00:00.000Z', lastSeen: '2026-11-20T08:00:00.000Z' });
  await store.close();
  const check = new Database(path, { readonly: true });
  t.is(check.prepare("SELECT COUNT(*) FROM incident_reports WHERE detail IS NULL").pluck().get(), 0, 'the stand-in details are written down');
  check.close();
});
