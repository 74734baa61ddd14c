import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { loadConfig } from '../core/config.js';
import { createBaselineToolkit } from '../nlp/index.js';
import { evaluateIncidents, halfOf, loadAreas, loadReports } from './evaluate-incidents.js';

test('pairwise precision and recall of incident merging against gold labels', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'radar-inc-')), 'posts.jsonl');
  const post = (id: string, text: string, at: string, incident: string | null) => JSON.stringify({ id, text, source: 'vk-a', published_at: at, incident });
  writeFileSync(
    file,
    [
      post('1', 'На улице Белинского, д. 32 яма на дороге, разбит асфальт', '2026-11-20T08:00:00Z', 'pothole'),
      post('2', 'Белинского 32 яма на дороге во всю полосу, асфальт разбит', '2026-11-20T10:00:00Z', 'pothole'),
      post('3', 'На улице Горького, д. 5 во дворе не вывозят мусор, контейнеры переполнены', '2026-11-20T11:00:00Z', 'dump'),
      post('4', 'Спасибо за концерт, было здорово', '2026-11-20T12:00:00Z', null),
    ].join('\n'),
  );
  const report = await evaluateIncidents(loadReports(file), loadConfig({ env: {} }), createBaselineToolkit());
  t.is(report.posts, 4);
  t.is(report.goldPairs, 1);
  t.is(report.predictedPairs, 1);
  t.is(report.precision, 1);
  t.is(report.recall, 1);
});

test('the halves split by incident, and areas.json beside the set is read and checked', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'radar-inc-'));
  const file = join(dir, 'posts.jsonl');
  t.deepEqual(loadAreas(file), {});
  writeFileSync(join(dir, 'areas.json'), JSON.stringify({ 'vk-a': 'Бор' }));
  t.deepEqual(loadAreas(file), { 'vk-a': 'Бор' });
  writeFileSync(join(dir, 'areas.json'), JSON.stringify({ 'vk-a': 5 }));
  t.throws(() => loadAreas(file), { message: /Expected .*areas\.json to map source ids to municipality names/ });
  const report = (id: string, incident: string | null) => ({ id, text: '', source: 'vk-a', published_at: '', incident });
  for (let i = 0; i < 20; i++) t.is(halfOf(report(`a${i}`, 'same')), halfOf(report(`b${i}`, 'same')));
  const halves = new Set(Array.from({ length: 20 }, (_, i) => halfOf(report('x', `incident-${i}`))));
  t.deepEqual([...halves].sort(), ['dev', 'test']);
});
