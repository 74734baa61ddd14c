import test from 'ava';
import type { CandidateEntry } from './docs.js';
import { RecentWrites } from './recent-writes.js';

const incident = (id: string, keys: string[]): CandidateEntry => ({
  id,
  category: 'roads',
  status: 'open',
  placeKeys: keys,
  keys,
  firstSeen: '2026-11-20T08:00:00.000Z',
  lastSeen: '2026-11-20T08:00:00.000Z',
  signature: new Uint32Array([1]),
});

test('recent writes are found by key until they expire, oldest first, and never beyond maxEntries', (t) => {
  let now = 0;
  const recent = new RecentWrites({ ttlMs: 1_000, maxEntries: 2, now: () => now });
  recent.putIncident(incident('inc_a', ['street:мира']));
  now = 500;
  recent.putIncident(incident('inc_b', ['street:мира', 'addr:мира|1']));
  t.deepEqual(recent.incidentsWith(['street:мира']).map((e) => e.id), ['inc_a', 'inc_b']);
  t.deepEqual(recent.incidentsWith(['addr:мира|1']).map((e) => e.id), ['inc_b']);
  now = 1_200;
  t.deepEqual(recent.incidentsWith(['street:мира']).map((e) => e.id), ['inc_b'], 'inc_a is older than the refresh margin');
  recent.putIncident(incident('inc_c', ['street:мира']));
  recent.putIncident(incident('inc_d', ['street:мира']));
  t.deepEqual(recent.incidentsWith(['street:мира']).map((e) => e.id), ['inc_c', 'inc_d'], 'at most maxEntries, the oldest go first');
  t.deepEqual(recent.size, { members: 0, incidents: 2 });
});

test('a re-written incident replaces its entry and keys; a merged-away one is remembered as deleted', (t) => {
  const recent = new RecentWrites({ ttlMs: 60_000, maxEntries: 100 });
  recent.putIncident(incident('inc_a', ['street:мира']));
  recent.putIncident(incident('inc_a', ['street:ленина']));
  t.deepEqual(recent.incidentsWith(['street:мира']), []);
  t.deepEqual(recent.incidentsWith(['street:ленина']).map((e) => e.id), ['inc_a']);
  recent.deleteIncident('inc_a');
  t.true(recent.isDeleted('inc_a'));
  t.deepEqual(recent.incidentsWith(['street:ленина']), []);
  recent.putMember({ postId: 'vk:1', storyId: 'sto_a', bands: ['b0:1', 'b1:1'], signature: new Uint32Array([2]), semantic: null });
  t.deepEqual(recent.membersSharing(['b1:1', 'b9:9']).map((m) => m.storyId), ['sto_a']);
  recent.clear();
  t.deepEqual(recent.membersSharing(['b1:1']), []);
});
