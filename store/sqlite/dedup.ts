/** The candidate indexes behind story, incident and refutation matching (`DedupIndex`). */
import type Database from 'better-sqlite3';
import type { IncidentStatus } from '../../core/types.js';
import type { IncidentCandidate, IncidentCandidateQuery, IncidentReport, RefutationCandidate, StoryCandidate, StoryMember, StoryStats } from '../contract.js';
import { BAND_ROWS, BROAD_KEY_ROWS, isBroadKey, KEY_ROWS, MAX_PLACE_KEYS, rankIncidentHits, rankStoryHits } from '../dedup-limits.js';
import { detailOf, openedIncident } from '../incident-rebuild.js';
import { bufferToSignature, maxUrgency, mergeFacts, signatureToBuffer } from '../merge.js';
import type { SqliteContext } from './connection.js';
import { SqliteRepository } from './repository.js';
import { incidentParams, type IncidentRow, type RefutationRow, toRefutation } from './rows.js';
import { indexedKey, indexedKeys, nameKey } from './text-keys.js';

const prepare = (db: Database.Database) => ({
  // A bounded read however busy the buckets are (a viral story, a stock phrase): members sharing
  // the most bands come first after counting, and a true copy shares most of them.
  bandMembers: db
    .prepare(`SELECT post_id, story_id FROM story_bands WHERE band IN (SELECT value FROM json_each(?)) ORDER BY band, post_id LIMIT ${BAND_ROWS}`)
    .raw(),
  memberSignature: db.prepare('SELECT signature, semantic FROM story_members WHERE post_id = ?'),
  insertMember: db.prepare('INSERT OR IGNORE INTO story_members (post_id, story_id, source, seen_at, signature, semantic) VALUES (?, ?, ?, ?, ?, ?)'),
  sourceInStory: db.prepare('SELECT 1 FROM story_members WHERE story_id = ? AND source = ? LIMIT 1').pluck(),
  upsertStory: db.prepare(
    `INSERT INTO stories (id, size, sources, first_seen, last_seen) VALUES (@id, 1, 1, @seenAt, @seenAt)
     ON CONFLICT (id) DO UPDATE SET size = size + 1, sources = sources + @newSource,
       first_seen = MIN(first_seen, @seenAt), last_seen = MAX(last_seen, @seenAt)`,
  ),
  storyStats: db.prepare(
    'SELECT id AS storyId, size, sources, first_seen AS firstSeen, last_seen AS lastSeen FROM stories WHERE id = ?',
  ),
  // Every key row of an incident carries the incident's last_seen (see touchKeys).
  // The key carries the category here (indexedKey).
  broadCandidates: db.prepare(
    `SELECT incident_id, last_seen FROM incident_keys INDEXED BY incident_keys_key_recent WHERE key = ? AND last_seen >= ?
     ORDER BY last_seen DESC, incident_id DESC LIMIT ${BROAD_KEY_ROWS}`,
  ),
  incidentsByIds: db.prepare(
    'SELECT id, category, status, first_seen, last_seen, signature, place_keys FROM incidents WHERE id IN (SELECT value FROM json_each(?))',
  ),
  touchKeys: db.prepare('UPDATE incident_keys SET last_seen = ? WHERE incident_id = ? AND last_seen < ?'),
  incidentById: db.prepare('SELECT * FROM incidents WHERE id = ?'),
  reportExists: db.prepare('SELECT 1 FROM incident_reports WHERE post_id = ? AND problem_index = ?').pluck(),
  postInIncident: db.prepare('SELECT 1 FROM incident_reports WHERE post_id = ? AND incident_id = ?').pluck(),
  insertReport: db.prepare('INSERT INTO incident_reports (post_id, problem_index, incident_id, source, seen_at, detail, signature) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  insertKey: db.prepare('INSERT OR IGNORE INTO incident_keys (key, incident_id, category, last_seen) VALUES (?, ?, ?, ?)'),
  insertIncident: db.prepare(
    `INSERT INTO incidents (id, title, category, status, urgency, municipality, municipality_key, address, lat, lon, first_seen,
                            last_seen, report_count, sources, facts, fake, fake_score, signature, place_keys)
     VALUES (@id, @title, @category, @status, @urgency, @municipality, @municipalityKey, @address, @lat, @lon, @firstSeen,
             @lastSeen, @reportCount, @sources, @facts, @fake, @fakeScore, @signature, @placeKeys)`,
  ),
  updateIncident: db.prepare(
    `UPDATE incidents SET status = @status, urgency = @urgency, municipality = @municipality, municipality_key = @municipalityKey,
            address = @address, lat = @lat,
            lon = @lon, first_seen = @firstSeen, last_seen = @lastSeen, report_count = @reportCount, sources = @sources, facts = @facts,
            place_keys = @placeKeys
     WHERE id = @id`,
  ),
  lastDecision: db.prepare(`SELECT value, at FROM incident_decisions WHERE incident_id = ? AND kind = 'status' ORDER BY seq DESC LIMIT 1`),
  // Redirects are flattened on every merge, so one hop reaches a live incident.
  pins: db
    .prepare(
      `SELECT p.problem_index, COALESCE(r.to_id, p.incident_id) FROM incident_pins p
       LEFT JOIN incident_redirects r ON r.from_id = p.incident_id WHERE p.post_id = ?`,
    )
    .raw(),
  refutationCandidates: db.prepare(
    `SELECT r.* FROM refutations r WHERE r.id IN (
       SELECT refutation_id FROM refutation_bands WHERE band IN (SELECT value FROM json_each(?)) GROUP BY refutation_id ORDER BY COUNT(*) DESC LIMIT ?)`,
  ),
});

export class DedupRepository extends SqliteRepository<ReturnType<typeof prepare>> {
  readonly #bandInserts = new Map<number, Database.Statement>();
  readonly #keyReadStatements = new Map<number, Database.Statement>();

  constructor(ctx: SqliteContext) {
    super(ctx, prepare);
  }

  storyCandidates(bandKeys: readonly string[], limit: number): readonly StoryCandidate[] {
    if (bandKeys.length === 0) return [];
    const rows = this.stmt.bandMembers.all(JSON.stringify(bandKeys)) as [string, string][];
    return rankStoryHits(rows, limit).map((hit) => {
      const member = this.stmt.memberSignature.get(hit.postId) as { signature: Buffer; semantic: Buffer | null };
      return { ...hit, signature: bufferToSignature(member.signature), semantic: member.semantic ? bufferToSignature(member.semantic) : null };
    });
  }

  #bandInsert(bands: number): Database.Statement {
    let stmt = this.#bandInserts.get(bands);
    if (!stmt) {
      stmt = this.ctx.db.prepare(`INSERT OR IGNORE INTO story_bands (band, post_id, story_id) VALUES ${Array.from({ length: bands }, () => '(?, ?, ?)').join(', ')}`);
      this.#bandInserts.set(bands, stmt);
    }
    return stmt;
  }

  addToStory(member: StoryMember): StoryStats {
    return this.ctx.atomic(() => {
      const newSource = this.stmt.sourceInStory.get(member.storyId, member.source) ? 0 : 1;
      const added = this.stmt.insertMember.run(member.postId, member.storyId, member.source, member.seenAt, signatureToBuffer(member.signature), member.semantic ? signatureToBuffer(member.semantic) : null);
      if (added.changes === 1) {
        this.stmt.upsertStory.run({ id: member.storyId, seenAt: member.seenAt, newSource });
        if (member.bandKeys.length > 0) {
          this.#bandInsert(member.bandKeys.length).run(...member.bandKeys.flatMap((band) => [band, member.postId, member.storyId]));
        }
      }
      return this.stmt.storyStats.get(member.storyId) as StoryStats;
    });
  }

  /** One statement reading the newest `KEY_ROWS` rows of each of `keys` keys, cached by key count. */
  #keyReads(keys: number): Database.Statement {
    let stmt = this.#keyReadStatements.get(keys);
    if (!stmt) {
      const one = `SELECT * FROM (SELECT incident_id, last_seen FROM incident_keys INDEXED BY incident_keys_key_recent
        WHERE key = ? AND last_seen >= ? AND category IN (SELECT value FROM json_each(?)) ORDER BY last_seen DESC, incident_id DESC LIMIT ${KEY_ROWS})`;
      stmt = this.ctx.db.prepare(Array.from({ length: keys }, () => one).join(' UNION ALL '));
      this.#keyReadStatements.set(keys, stmt);
    }
    return stmt;
  }

  incidentCandidates(query: IncidentCandidateQuery): readonly IncidentCandidate[] {
    const specific = query.placeKeys.filter((key) => !isBroadKey(key));
    const broad = query.placeKeys.filter(isBroadKey);
    const hits: { id: string; lastSeen: string }[] = [];
    if (specific.length > 0 && query.categories.length > 0) {
      const categories = JSON.stringify(query.categories);
      const rows = this.#keyReads(specific.length).all(...specific.flatMap((key) => [key, query.since, categories])) as { incident_id: string; last_seen: string }[];
      for (const row of rows) hits.push({ id: row.incident_id, lastSeen: row.last_seen });
    }
    for (const key of broad) {
      for (const category of query.broadCategories ?? query.categories) {
        for (const row of this.stmt.broadCandidates.all(indexedKey(key, category), query.since) as { incident_id: string; last_seen: string }[]) {
          hits.push({ id: row.incident_id, lastSeen: row.last_seen });
        }
      }
    }
    const ranked = rankIncidentHits(hits, query.limit);
    if (ranked.length === 0) return [];
    type CandidateRow = Pick<IncidentRow, 'id' | 'category' | 'status' | 'first_seen' | 'last_seen' | 'signature' | 'place_keys'>;
    const rows = new Map((this.stmt.incidentsByIds.all(JSON.stringify(ranked.map((hit) => hit.id))) as CandidateRow[]).map((row) => [row.id, row]));
    return ranked.flatMap((hit) => {
      const row = rows.get(hit.id);
      return row
        ? [{ id: row.id, category: row.category, status: row.status, placeKeys: JSON.parse(row.place_keys) as string[], firstSeen: row.first_seen, lastSeen: row.last_seen, signature: bufferToSignature(row.signature) }]
        : [];
    });
  }

  addIncidentReport(report: IncidentReport): void {
    this.ctx.atomic(() => {
      if (this.stmt.reportExists.get(report.postId, report.problemIndex)) return;
      const row = this.stmt.incidentById.get(report.incidentId) as IncidentRow | undefined;
      if (!row) {
        const decided = this.stmt.lastDecision.get(report.incidentId) as { value: IncidentStatus; at: string } | undefined;
        // `radar reprocess` rebuilds incidents with the same ids: analysts' decisions come back with them.
        this.stmt.insertIncident.run(incidentParams(openedIncident(report, decided?.value ?? 'open')));
      } else {
        const newPost = !this.stmt.postInIncident.get(report.postId, report.incidentId);
        const sources = JSON.parse(row.sources) as string[];
        if (!sources.includes(report.source)) sources.push(report.source);
        this.stmt.updateIncident.run({
          id: row.id,
          // A report published after the problem was marked resolved means it is back: reopen instead
          // of spawning a twin. Reports from before the decision (replayed by `radar reprocess`) do not.
          status: row.status === 'resolved' && report.seenAt > ((this.stmt.lastDecision.get(row.id) as { at: string } | undefined)?.at ?? '') ? 'open' : row.status,
          urgency: maxUrgency(row.urgency, report.urgency),
          municipality: row.municipality ?? report.municipality,
          municipalityKey: nameKey(row.municipality ?? report.municipality),
          address: row.address ?? report.address,
          lat: row.lat ?? report.location?.lat ?? null,
          lon: row.lon ?? report.location?.lon ?? null,
          firstSeen: report.seenAt < row.first_seen ? report.seenAt : row.first_seen,
          lastSeen: report.seenAt > row.last_seen ? report.seenAt : row.last_seen,
          reportCount: row.report_count + (newPost ? 1 : 0),
          sources: JSON.stringify(sources),
          facts: JSON.stringify(mergeFacts(JSON.parse(row.facts), report.facts)),
          placeKeys: JSON.stringify([...new Set([...(JSON.parse(row.place_keys) as string[]), ...report.placeKeys])].slice(0, MAX_PLACE_KEYS)),
        });
      }
      this.stmt.insertReport.run(report.postId, report.problemIndex, report.incidentId, report.source, report.seenAt, JSON.stringify(detailOf(report)), signatureToBuffer(report.signature));
      const category = row?.category ?? report.category;
      const lastSeen = row && row.last_seen > report.seenAt ? row.last_seen : report.seenAt;
      this.stmt.touchKeys.run(lastSeen, report.incidentId, lastSeen);
      for (const key of indexedKeys(report.placeKeys, category)) this.stmt.insertKey.run(key, report.incidentId, category, lastSeen);
    });
  }

  incidentPins(postId: string): ReadonlyMap<number, string> {
    return new Map(this.stmt.pins.all(postId) as [number, string][]);
  }

  refutationCandidates(bandKeys: readonly string[], limit: number): readonly RefutationCandidate[] {
    if (bandKeys.length === 0) return [];
    const rows = this.stmt.refutationCandidates.all(JSON.stringify(bandKeys), limit) as RefutationRow[];
    return rows.map((row) => ({ refutation: toRefutation(row), signature: bufferToSignature(row.signature) }));
  }
}
