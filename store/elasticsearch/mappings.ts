/**
 * Settings and mappings of every index, with its mapping version. Change a mapping only together
 * with its version: `radar es migrate` then builds `<alias>-v<version+1>` and moves the alias.
 * Mappings are strict so that a field written by mistake fails loudly instead of being guessed.
 */
import type { estypes } from '@elastic/elasticsearch';
import { analysisSettings, FOLDED_NORMALIZER, RUSSIAN_ANALYZER } from './analysis.js';
import type { IndexKey } from './names.js';

export interface IndexSpec {
  readonly version: number;
  readonly settings: estypes.IndicesIndexSettings;
  readonly mappings: estypes.MappingTypeMapping;
}

type Properties = Record<string, estypes.MappingProperty>;

const keyword: estypes.MappingProperty = { type: 'keyword' };
const date: estypes.MappingProperty = { type: 'date' };
/** Kept in `_source` only: shown, never searched. */
const stored: estypes.MappingProperty = { type: 'object', enabled: false };
const storedText: estypes.MappingProperty = { type: 'text', index: false };
const signature: estypes.MappingProperty = { type: 'binary' };
const russian: estypes.MappingProperty = { type: 'text', analyzer: RUSSIAN_ANALYZER };
/** Full text, plus a keyword for facets and a folded keyword for case- and ё-insensitive filters. */
const name: estypes.MappingProperty = {
  type: 'text',
  analyzer: RUSSIAN_ANALYZER,
  fields: { keyword: { type: 'keyword', ignore_above: 512 }, folded: { type: 'keyword', normalizer: FOLDED_NORMALIZER, ignore_above: 512 } },
};

/**
 * The feed indices refresh once a second and never per write: the pipeline writes in bulk, and the
 * store keeps its own recent writes visible to dedup until a refresh has surely happened.
 */
const feedSettings: estypes.IndicesIndexSettings = { refresh_interval: '1s', analysis: analysisSettings };

const mapping = (properties: Properties): estypes.MappingTypeMapping => ({ dynamic: 'strict', properties });

const posts: Properties = {
  post_id: keyword,
  source: keyword,
  external_id: keyword,
  text: russian,
  author: keyword,
  url: { type: 'keyword', index: false },
  published_at: date,
  collected_at: date,
  /** Publication time, collection time when unknown: the order of a story's posts. */
  seen_at: date,
  location: { type: 'geo_point' },
  location_address: { type: 'keyword', index: false },
  raw: stored,
  status: keyword,
  error: storedText,
  story: {
    properties: {
      id: keyword,
      source: keyword,
      seen_at: date,
      signature,
      /** Sign bits of the post's embedding, when an encoder made one. */
      semantic: signature,
      /** LSH band keys (MinHash, and embedding sign bits with an encoder): story candidates share bands. */
      bands: keyword,
    },
  },
  analysis: {
    properties: {
      clean_text: russian,
      is_problem: { type: 'boolean' },
      problems: stored,
      facts: stored,
      story_id: keyword,
      categories: keyword,
      incident_ids: keyword,
      fake: stored,
      fake_score: { type: 'float' },
      fake_level: keyword,
      analyzed_at: date,
    },
  },
  /**
   * Room for the post's sentence embedding (HNSW, cosine) for kNN lookups. The store contract passes
   * only the embedding's sign bits today (`story.semantic`, matched through LSH bands), so nothing
   * writes it yet; the dimension is taken from the first vector written.
   */
  embedding: { type: 'dense_vector', index: true, similarity: 'cosine', index_options: { type: 'hnsw', m: 16, ef_construction: 100 } },
};

/**
 * An incident is one document with its aggregate (counts, time range, sources, merged facts) and
 * what lookups need: every place key, every report key and post id (uncapped, so that a report is
 * attached once and counted once), and the text of its posts as nested sub-documents, so that the
 * feed's full-text filter means "every word in one post" without a join. A report's own details
 * (what an analyst's split recomputes from) live in `reports`, one small document each, read by id.
 */
const incidents: Properties = {
  id: keyword,
  title: name,
  category: keyword,
  status: keyword,
  urgency: keyword,
  municipality: name,
  address: name,
  location: { type: 'geo_point' },
  first_seen: date,
  last_seen: date,
  report_count: { type: 'integer' },
  sources: keyword,
  facts: stored,
  fake: stored,
  fake_score: { type: 'float' },
  signature,
  /** The first MAX_PLACE_KEYS keys, returned with candidates. */
  place_keys: { type: 'keyword', index: false, doc_values: false },
  /** Every place key ever attached: what candidate lookups match on. */
  keys: keyword,
  /** `<post id>#<problem index>` of every report: a report is attached once, whatever happens. */
  report_keys: keyword,
  post_ids: keyword,
  /** Texts of the first MAX_SEARCHABLE_POSTS posts (the nested-document limit bounds them). */
  posts: {
    type: 'nested',
    properties: {
      post_id: keyword,
      text: russian,
    },
  },
};

/** One report (a problem of a post) and what it brought to its incident; `_id` is `<post id>#<problem index>`. */
const reports: Properties = {
  post_id: keyword,
  problem_index: { type: 'integer' },
  incident_id: keyword,
  source: keyword,
  seen_at: date,
  detail: stored,
  signature,
};

const stories: Properties = {
  id: keyword,
  size: { type: 'integer' },
  sources: keyword,
  first_seen: date,
  last_seen: date,
  post_ids: keyword,
};

const sources: Properties = {
  source_id: keyword,
  type: keyword,
  cursor: stored,
  health: keyword,
  last_run_at: date,
  last_success_at: date,
  last_error: storedText,
  last_error_code: keyword,
  last_error_at: date,
  consecutive_failures: { type: 'integer' },
  posts_collected: { type: 'long' },
  newest_post_at: date,
};

const refutations: Properties = {
  id: keyword,
  claim: russian,
  text: russian,
  url: { type: 'keyword', index: false },
  topic: keyword,
  published_at: date,
  created_at: date,
  signature,
  bands: keyword,
};

const flags: Properties = {
  story_id: keyword,
  platform: keyword,
  status: keyword,
  reason: storedText,
  refutation_id: keyword,
  note: storedText,
  created_at: date,
  updated_at: date,
  history: stored,
};

/** Analysts' decisions: one document per incident involved (a merge appears in each incident's history). */
const decisions: Properties = {
  incident_id: keyword,
  kind: keyword,
  /** The status set, for `status` decisions. */
  status: keyword,
  from_ids: keyword,
  to_id: keyword,
  reports: stored,
  note: storedText,
  at: date,
  /** Order of decisions made at the same instant. */
  seq: { type: 'long' },
};

/** Where analysts placed a report; `_id` is `<post id>#<problem index>`. */
const pins: Properties = {
  post_id: keyword,
  problem_index: { type: 'integer' },
  incident_id: keyword,
};

/** A merged-away incident id and the live incident it now means; `_id` is the old id. */
const redirects: Properties = {
  from_id: keyword,
  to_id: keyword,
  at: date,
};

/** Editorial indices change seldom and are read right after a write: they refresh on demand. */
const editorialSettings: estypes.IndicesIndexSettings = { analysis: analysisSettings };

export const indexSpecs: Readonly<Record<IndexKey, IndexSpec>> = {
  posts: { version: 1, settings: feedSettings, mappings: mapping(posts) },
  incidents: { version: 1, settings: feedSettings, mappings: mapping(incidents) },
  reports: { version: 1, settings: feedSettings, mappings: mapping(reports) },
  stories: { version: 1, settings: feedSettings, mappings: mapping(stories) },
  sources: { version: 1, settings: editorialSettings, mappings: mapping(sources) },
  refutations: { version: 1, settings: editorialSettings, mappings: mapping(refutations) },
  flags: { version: 1, settings: editorialSettings, mappings: mapping(flags) },
  decisions: { version: 1, settings: editorialSettings, mappings: mapping(decisions) },
  pins: { version: 1, settings: editorialSettings, mappings: mapping(pins) },
  redirects: { version: 1, settings: editorialSettings, mappings: mapping(redirects) },
};
