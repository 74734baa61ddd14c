/** The feed filter as SQL over `incidents`, shared by the feed and its facets. */
import type { IncidentFilter } from '../contract.js';
import { ftsQuery, nameKey } from './text-keys.js';

export interface FilterSql {
  readonly where: string[];
  readonly params: Record<string, unknown>;
}

/** Null when the filter cannot match anything (a search query without a single token). */
export const filterSql = (filter: IncidentFilter, analyzeQuery: (text: string) => readonly string[]): FilterSql | null => {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.categories?.length) {
    where.push('category IN (SELECT value FROM json_each(@categories))');
    params.categories = JSON.stringify(filter.categories);
  }
  if (filter.statuses?.length) {
    where.push('status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(filter.statuses);
  }
  if (filter.municipality) {
    where.push('municipality_key = @municipality');
    params.municipality = nameKey(filter.municipality);
  }
  if (filter.from) {
    where.push('last_seen >= @from');
    params.from = filter.from;
  }
  if (filter.to) {
    where.push('first_seen <= @to');
    params.to = filter.to;
  }
  if (filter.q !== undefined) {
    const tokens = analyzeQuery(filter.q);
    if (tokens.length === 0) return null;
    where.push(`id IN (SELECT r.incident_id FROM incident_reports r JOIN posts p ON p.id = r.post_id
                       WHERE p.seq IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH @match))`);
    params.match = ftsQuery(tokens);
  }
  return { where, params };
};

export const whereSql = (where: readonly string[]): string => (where.length ? `WHERE ${where.join(' AND ')}` : '');
