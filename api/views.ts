/** JSON shapes of the API: snake_case, like the `radar analyze` contract. */
import type { Incident } from '../core/types.js';
import type { IncidentDecision, IncidentDetail, IncidentFacets, StoredPostView } from '../store/contract.js';

export type CategoryLabels = Readonly<Record<string, string>>;

export const incidentView = (incident: Incident, labels: CategoryLabels) => ({
  id: incident.id,
  title: incident.title,
  category: incident.category,
  category_label: labels[incident.category] ?? incident.category,
  status: incident.status,
  urgency: incident.urgency,
  municipality: incident.municipality,
  address: incident.address,
  location: incident.location,
  first_seen: incident.firstSeen,
  last_seen: incident.lastSeen,
  report_count: incident.reportCount,
  sources: incident.sources,
  facts: incident.facts,
  fake_risk: incident.fakeRisk,
});

export const postView = (view: StoredPostView) => ({
  id: view.post.id,
  source: view.post.source,
  external_id: view.post.externalId,
  url: view.post.url,
  author: view.post.author,
  published_at: view.post.publishedAt,
  collected_at: view.post.collectedAt,
  location: view.post.location,
  text: view.post.text,
  status: view.status,
  error: view.error,
  is_problem: view.analysis?.isProblem ?? null,
  problems:
    view.analysis?.problems.map((p) => ({
      text: p.text,
      category: p.category,
      confidence: p.confidence,
      urgency: p.urgency,
      facts: p.facts,
      incident_id: p.incidentId ?? null,
    })) ?? [],
  facts: view.analysis?.facts ?? null,
  story_id: view.analysis?.storyId ?? null,
  fake_risk: view.analysis?.fake ?? null,
});

export const incidentDetailView = (detail: IncidentDetail, labels: CategoryLabels) => ({
  ...incidentView(detail, labels),
  posts: detail.posts.map(postView),
});

export const decisionView = (d: IncidentDecision) => ({
  kind: d.kind,
  status: d.status,
  from_ids: d.fromIds,
  to_id: d.toId,
  reports: d.reports.map((r) => ({ post_id: r.postId, problem_index: r.problemIndex })),
  note: d.note,
  at: d.at,
});

export const facetsView = (facets: IncidentFacets, precision: number, labels: CategoryLabels) => ({
  total: facets.total,
  categories: facets.categories.map((f) => ({ category: f.key, category_label: labels[f.key] ?? f.key, count: f.count })),
  municipalities: facets.municipalities.map((f) => ({ municipality: f.key, count: f.count })),
  days: facets.days.map((f) => ({ date: f.key, count: f.count })),
  geo: { precision, cells: facets.geo.map((cell) => ({ geohash: cell.geohash, count: cell.count, center: cell.center })) },
});
