/** The incident feed, its facets and detail, analysts' status decisions and the history of their decisions. */
import type Database from 'better-sqlite3';
import { ValidationError } from '../../core/errors.js';
import { geohashCenter } from '../../core/geohash.js';
import type { Incident, IncidentStatus } from '../../core/types.js';
import { FACET_BUCKETS, type FacetCount, type FacetOptions, type IncidentDecision, type IncidentDetail, type IncidentFacets, type IncidentFilter, type Page, type PageRequest } from '../contract.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { SqliteContext } from './connection.js';
import { filterSql, whereSql } from './incident-filter.js';
import { SqliteRepository } from './repository.js';
import { type AnalysisRow, type DecisionRow, type IncidentRow, type PostRow, toDecision, toIncident, toStoredPostView } from './rows.js';

const prepare = (db: Database.Database) => ({
  incidentById: db.prepare('SELECT * FROM incidents WHERE id = ?'),
  incidentPosts: db.prepare(
    `SELECT p.*, a.is_problem, a.problems, a.facts, a.story_id, a.fake, a.analyzed_at
     FROM posts p LEFT JOIN analyses a ON a.post_id = p.id
     WHERE p.id IN (SELECT post_id FROM incident_reports WHERE incident_id = ?)
     ORDER BY COALESCE(p.published_at, p.collected_at), p.seq LIMIT 1000`,
  ),
  setStatus: db.prepare('UPDATE incidents SET status = ? WHERE id = ?'),
  insertDecision: db.prepare(`INSERT INTO incident_decisions (incident_id, kind, value, note, at) VALUES (?, 'status', ?, ?, ?)`),
  decisions: db.prepare('SELECT kind, value, note, at FROM incident_decisions WHERE incident_id = ? ORDER BY seq'),
  redirectOf: db.prepare('SELECT to_id FROM incident_redirects WHERE from_id = ?').pluck(),
});

export class IncidentsRepository extends SqliteRepository<ReturnType<typeof prepare>> {
  readonly #analyzeQuery: (text: string) => readonly string[];

  constructor(ctx: SqliteContext, analyzeQuery: (text: string) => readonly string[]) {
    super(ctx, prepare);
    this.#analyzeQuery = analyzeQuery;
  }

  setStatus(id: string, status: IncidentStatus, note: string | null, at: string): Incident | null {
    return this.ctx.atomic(() => {
      if (this.stmt.setStatus.run(status, id).changes === 0) return null;
      this.stmt.insertDecision.run(id, status, note, at);
      return toIncident(this.stmt.incidentById.get(id) as IncidentRow);
    });
  }

  history(id: string): readonly IncidentDecision[] {
    return (this.stmt.decisions.all(id) as DecisionRow[]).map(toDecision);
  }

  list(filter: IncidentFilter, page: PageRequest): Page<Incident> {
    const sql = filterSql(filter, this.#analyzeQuery);
    if (!sql) return { items: [], nextCursor: null };
    const where = [...sql.where];
    const params: Record<string, unknown> = { ...sql.params, limit: page.limit + 1 };
    if (page.cursor) {
      const position = decodeCursor(page.cursor);
      where.push('(last_seen < @cursorSeen OR (last_seen = @cursorSeen AND id < @cursorId))');
      params.cursorSeen = position.lastSeen;
      params.cursorId = position.id;
    }
    const rows = this.ctx.db.prepare(`SELECT * FROM incidents ${whereSql(where)} ORDER BY last_seen DESC, id DESC LIMIT @limit`).all(params) as IncidentRow[];
    const items = rows.slice(0, page.limit).map(toIncident);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ lastSeen: last.lastSeen, id: last.id }) : null };
  }

  facets(filter: IncidentFilter, options: FacetOptions): IncidentFacets {
    const precision = options.geoPrecision;
    if (!Number.isInteger(precision) || precision < 1 || precision > 8) {
      throw new ValidationError(`Invalid geo precision: expected an integer from 1 to 8, got ${precision}`, [{ path: 'geo_precision', message: 'expected an integer from 1 to 8' }]);
    }
    const sql = filterSql(filter, this.#analyzeQuery);
    if (!sql) return { total: 0, categories: [], municipalities: [], days: [], geo: [] };
    const { db } = this.ctx;
    const where = whereSql(sql.where);
    const also = (condition: string) => whereSql([...sql.where, condition]);
    const params = { ...sql.params, buckets: FACET_BUCKETS, precision };
    const counts = (query: string) => db.prepare(query).all(params) as FacetCount[];
    // One read transaction, so that every facet counts the same snapshot while the pipeline writes.
    return db.transaction(() => ({
      total: db.prepare(`SELECT COUNT(*) FROM incidents ${where}`).pluck().get(sql.params) as number,
      categories: counts(`SELECT category AS key, COUNT(*) AS count FROM incidents ${where} GROUP BY category ORDER BY count DESC, key LIMIT @buckets`),
      municipalities: counts(
        `SELECT MIN(municipality) AS key, COUNT(*) AS count FROM incidents ${also('municipality_key IS NOT NULL')}
         GROUP BY municipality_key ORDER BY count DESC, key LIMIT @buckets`,
      ),
      // The latest days when there are more than fit, returned oldest first.
      days: counts(`SELECT date(first_seen) AS key, COUNT(*) AS count FROM incidents ${where} GROUP BY key ORDER BY key DESC LIMIT @buckets`).reverse(),
      geo: counts(
        `SELECT radar_geohash(lat, lon, @precision) AS key, COUNT(*) AS count FROM incidents ${also('lat IS NOT NULL AND lon IS NOT NULL')}
         GROUP BY key ORDER BY count DESC, key LIMIT @buckets`,
      ).map(({ key, count }) => ({ geohash: key, count, center: geohashCenter(key) })),
    }))();
  }

  get(id: string): IncidentDetail | null {
    const row = this.stmt.incidentById.get(id) as IncidentRow | undefined;
    if (row) return this.#detail(row);
    const target = this.stmt.redirectOf.get(id) as string | undefined;
    const merged = target === undefined ? undefined : (this.stmt.incidentById.get(target) as IncidentRow | undefined);
    return merged ? { ...this.#detail(merged), redirectedFrom: id } : null;
  }

  #detail(row: IncidentRow): IncidentDetail {
    const posts = (this.stmt.incidentPosts.all(row.id) as (PostRow & AnalysisRow)[]).map(toStoredPostView);
    return { ...toIncident(row), posts };
  }
}
