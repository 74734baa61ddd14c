/**
 * Analysts' merges and splits of incidents. Each edit moves reports, recomputes the incidents
 * involved from their reports, pins every report it placed (pins survive `radar reprocess`, which
 * then rebuilds the same incidents), and records the decision in each incident's history.
 */
import type Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { FakeAssessment, Incident, IncidentStatus, Problem } from '../../core/types.js';
import type { IncidentDecisionKind, ReportRef, SplitResult } from '../contract.js';
import { foreignReportError, noMergeSourcesError, noSplitReportsError, planSplit, relabelledProblems, selfMergeError } from '../incident-edit-rules.js';
import { type IncidentIdentity, rebuildIncident, type RebuiltIncident, type ReportData, type ReportDetail } from '../incident-rebuild.js';
import { bufferToSignature, signatureToBuffer } from '../merge.js';
import type { SqliteContext } from './connection.js';
import { SqliteRepository } from './repository.js';
import { incidentParams, type IncidentRow, locationOf, type MoveValue, type ReportRow, toIncident } from './rows.js';
import { indexedKeys } from './text-keys.js';

/** What a report brought, or for reports stored before per-report details, its incident's values. */
const reportData = (row: ReportRow, owner: IncidentRow): ReportData => ({
  postId: row.post_id,
  problemIndex: row.problem_index,
  source: row.source,
  seenAt: row.seen_at,
  detail:
    row.detail === null
      ? {
          category: owner.category,
          title: owner.title,
          urgency: owner.urgency,
          municipality: owner.municipality,
          address: owner.address,
          location: locationOf(owner),
          placeKeys: JSON.parse(owner.place_keys) as string[],
          facts: JSON.parse(owner.facts) as ReportDetail['facts'],
        }
      : (JSON.parse(row.detail) as ReportDetail),
  signature: bufferToSignature(row.signature ?? owner.signature),
});

const identityOf = (row: IncidentRow): IncidentIdentity => ({
  title: row.title,
  category: row.category,
  signature: bufferToSignature(row.signature),
  municipality: row.municipality,
  address: row.address,
  location: locationOf(row),
});

const prepare = (db: Database.Database) => ({
  incidentById: db.prepare('SELECT * FROM incidents WHERE id = ?'),
  redirectOf: db.prepare('SELECT to_id FROM incident_redirects WHERE from_id = ?').pluck(),
  reportsOf: db.prepare('SELECT * FROM incident_reports WHERE incident_id = ?'),
  incidentOfReport: db.prepare('SELECT incident_id FROM incident_reports WHERE post_id = ? AND problem_index = ?').pluck(),
  moveReport: db.prepare('UPDATE incident_reports SET incident_id = ?, detail = ?, signature = ? WHERE post_id = ? AND problem_index = ?'),
  fakesOf: db.prepare('SELECT fake FROM analyses WHERE post_id IN (SELECT value FROM json_each(?))').pluck(),
  saveIncident: db.prepare(
    `INSERT OR REPLACE INTO incidents (id, title, category, status, urgency, municipality, municipality_key, address, lat, lon, first_seen,
                                       last_seen, report_count, sources, facts, fake, fake_score, signature, place_keys)
     VALUES (@id, @title, @category, @status, @urgency, @municipality, @municipalityKey, @address, @lat, @lon, @firstSeen,
             @lastSeen, @reportCount, @sources, @facts, @fake, @fakeScore, @signature, @placeKeys)`,
  ),
  deleteIncident: db.prepare('DELETE FROM incidents WHERE id = ?'),
  deleteKeys: db.prepare('DELETE FROM incident_keys WHERE incident_id = ?'),
  insertKey: db.prepare('INSERT OR IGNORE INTO incident_keys (key, incident_id, category, last_seen) VALUES (?, ?, ?, ?)'),
  pin: db.prepare('INSERT OR REPLACE INTO incident_pins (post_id, problem_index, incident_id) VALUES (?, ?, ?)'),
  redirect: db.prepare('INSERT OR REPLACE INTO incident_redirects (from_id, to_id, at) VALUES (?, ?, ?)'),
  repoint: db.prepare('UPDATE incident_redirects SET to_id = ? WHERE to_id = ?'),
  unredirect: db.prepare('DELETE FROM incident_redirects WHERE from_id = ?'),
  problemsOf: db.prepare('SELECT problems FROM analyses WHERE post_id = ?').pluck(),
  setProblems: db.prepare('UPDATE analyses SET problems = ? WHERE post_id = ?'),
  lastStatus: db.prepare(`SELECT value FROM incident_decisions WHERE incident_id = ? AND kind = 'status' ORDER BY seq DESC LIMIT 1`).pluck(),
  insertDecision: db.prepare('INSERT INTO incident_decisions (incident_id, kind, value, note, at) VALUES (?, ?, ?, ?, ?)'),
});

export class IncidentEditsRepository extends SqliteRepository<ReturnType<typeof prepare>> {
  constructor(ctx: SqliteContext) {
    super(ctx, prepare);
  }

  /** The live incident behind an id, following a merge redirect. */
  #resolve(id: string): IncidentRow | null {
    const row = this.stmt.incidentById.get(id) as IncidentRow | undefined;
    if (row) return row;
    const target = this.stmt.redirectOf.get(id) as string | undefined;
    return target === undefined ? null : ((this.stmt.incidentById.get(target) as IncidentRow | undefined) ?? null);
  }

  #reports(owner: IncidentRow): ReportData[] {
    return (this.stmt.reportsOf.all(owner.id) as ReportRow[]).map((row) => reportData(row, owner));
  }

  /** Moves reports to `incidentId`, writing down what each brought (legacy reports get it here), and pins them there. */
  #place(incidentId: string, reports: readonly ReportData[]): void {
    for (const r of reports) {
      this.stmt.moveReport.run(incidentId, JSON.stringify(r.detail), signatureToBuffer(r.signature), r.postId, r.problemIndex);
      this.stmt.pin.run(r.postId, r.problemIndex, incidentId);
    }
  }

  /** Points the posts' problems at their new incident, so that post views agree with the incident's. */
  #relabel(incidentId: string, reports: readonly ReportData[]): void {
    const problemsOf = (postId: string): Problem[] | undefined => {
      const json = this.stmt.problemsOf.get(postId) as string | undefined;
      return json === undefined ? undefined : (JSON.parse(json) as Problem[]);
    };
    for (const [postId, problems] of relabelledProblems(reports, incidentId, problemsOf)) this.stmt.setProblems.run(JSON.stringify(problems), postId);
  }

  #save(incident: RebuiltIncident): Incident {
    this.stmt.saveIncident.run(incidentParams(incident));
    this.stmt.deleteKeys.run(incident.id);
    for (const key of indexedKeys(incident.allPlaceKeys, incident.category)) this.stmt.insertKey.run(key, incident.id, incident.category, incident.lastSeen);
    return toIncident(this.stmt.incidentById.get(incident.id) as IncidentRow);
  }

  #fakes(reports: readonly ReportData[]): FakeAssessment[] {
    const posts = [...new Set(reports.map((r) => r.postId))];
    return (this.stmt.fakesOf.all(JSON.stringify(posts)) as string[]).map((json) => JSON.parse(json) as FakeAssessment);
  }

  #record(incidentIds: readonly string[], kind: IncidentDecisionKind, value: MoveValue, note: string | null, at: string): void {
    const json = JSON.stringify(value);
    for (const id of incidentIds) this.stmt.insertDecision.run(id, kind, json, note, at);
  }

  merge(targetId: string, sourceIds: readonly string[], note: string | null, at: string): Incident {
    return this.ctx.atomic(() => {
      const target = this.#resolve(targetId);
      if (!target) throw new NotFoundError(`Incident ${JSON.stringify(targetId)} not found`);
      if (sourceIds.length === 0) throw noMergeSourcesError();
      const sources = new Map<string, IncidentRow>();
      sourceIds.forEach((id, i) => {
        if (id === targetId || id === target.id) throw selfMergeError(id, i, target.id);
        const source = this.#resolve(id);
        if (!source) throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
        if (source.id === target.id) throw new ConflictError(`Incident ${JSON.stringify(id)} was already merged into ${target.id}`);
        sources.set(source.id, source);
      });
      const moved = [...sources.values()].flatMap((source) => this.#reports(source));
      const all = [...this.#reports(target), ...moved];
      this.#place(target.id, all);
      this.#relabel(target.id, moved);
      for (const source of sources.keys()) {
        this.stmt.deleteIncident.run(source);
        this.stmt.deleteKeys.run(source);
        this.stmt.repoint.run(target.id, source);
        this.stmt.redirect.run(source, target.id, at);
      }
      const merged = this.#save(rebuildIncident(target.id, target.status, all, this.#fakes(all), identityOf(target)));
      this.#record([target.id, ...sources.keys()], 'merge', { from: [...sources.keys()], to: target.id, reports: [] }, note, at);
      return merged;
    });
  }

  split(id: string, refs: readonly ReportRef[], note: string | null, at: string): SplitResult {
    return this.ctx.atomic(() => {
      const original = this.#resolve(id);
      if (!original) throw new NotFoundError(`Incident ${JSON.stringify(id)} not found`);
      if (refs.length === 0) throw noSplitReportsError();
      refs.forEach((ref, i) => {
        const owner = this.stmt.incidentOfReport.get(ref.postId, ref.problemIndex) as string | undefined;
        if (owner !== original.id) throw foreignReportError(original.id, ref, i, owner);
      });
      const { moving, staying, createdId } = planSplit(original.id, this.#reports(original), refs);
      if (this.stmt.incidentById.get(createdId)) throw new ConflictError(`Incident ${createdId}, the split of these reports, exists already`);
      // The same split made again after merging it back revives the id: it no longer redirects.
      this.stmt.unredirect.run(createdId);
      this.#place(createdId, moving);
      this.#place(original.id, staying);
      this.#relabel(createdId, moving);
      const decided = (this.stmt.lastStatus.get(createdId) as IncidentStatus | undefined) ?? 'open';
      const created = this.#save(rebuildIncident(createdId, decided, moving, this.#fakes(moving), null));
      const kept = this.#save(rebuildIncident(original.id, original.status, staying, this.#fakes(staying), null));
      const value: MoveValue = { from: [original.id], to: createdId, reports: moving.map((r) => [r.postId, r.problemIndex] as const) };
      this.#record([original.id, createdId], 'split', value, note, at);
      return { original: kept, created };
    });
  }
}
