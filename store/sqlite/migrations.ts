/**
 * Schema migrations, applied in order inside one transaction each. Never edit a released migration:
 * add a new one, so that every existing database reaches the same schema.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE posts (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        external_id TEXT NOT NULL,
        text TEXT NOT NULL,
        author TEXT,
        url TEXT,
        published_at TEXT,
        collected_at TEXT NOT NULL,
        location TEXT,
        raw TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'failed')),
        error TEXT,
        UNIQUE (source, external_id)
      );
      CREATE INDEX posts_status ON posts (status, seq);

      CREATE TABLE analyses (
        post_id TEXT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        clean_text TEXT NOT NULL,
        is_problem INTEGER NOT NULL,
        problems TEXT NOT NULL,
        facts TEXT NOT NULL,
        story_id TEXT NOT NULL,
        fake TEXT NOT NULL,
        fake_score REAL NOT NULL,
        analyzed_at TEXT NOT NULL
      );

      -- Contentless: the stemmed tokens are only searched, never shown; rowid = posts.seq.
      CREATE VIRTUAL TABLE posts_fts USING fts5 (tokens, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0');

      CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        sources INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
      );
      CREATE TABLE story_members (
        post_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        source TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        signature BLOB NOT NULL
      );
      CREATE INDEX story_members_story ON story_members (story_id, source);
      CREATE TABLE story_bands (
        band TEXT NOT NULL,
        post_id TEXT NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (band, post_id)
      ) WITHOUT ROWID;

      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        category TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'rejected')),
        urgency TEXT NOT NULL,
        municipality TEXT,
        -- Lower-cased with ё folded: SQLite's NOCASE only folds ASCII.
        municipality_key TEXT,
        address TEXT,
        lat REAL,
        lon REAL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        report_count INTEGER NOT NULL,
        sources TEXT NOT NULL,
        facts TEXT NOT NULL,
        fake TEXT NOT NULL,
        fake_score REAL NOT NULL,
        signature BLOB NOT NULL,
        -- Copy of this incident's keys in incident_keys, read with the row when judging a candidate.
        place_keys TEXT NOT NULL
      );
      CREATE INDEX incidents_feed ON incidents (last_seen DESC, id DESC);
      CREATE INDEX incidents_category ON incidents (category, last_seen DESC);
      CREATE INDEX incidents_municipality ON incidents (municipality_key, last_seen DESC);
      -- Category and last_seen are copied here so that a candidate lookup is one index range per key,
      -- however many incidents share a busy key such as a whole city.
      CREATE TABLE incident_keys (
        key TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        category TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (key, incident_id)
      ) WITHOUT ROWID;
      CREATE INDEX incident_keys_recent ON incident_keys (key, category, last_seen DESC);
      CREATE INDEX incident_keys_incident ON incident_keys (incident_id);
      CREATE TABLE incident_reports (
        post_id TEXT NOT NULL,
        problem_index INTEGER NOT NULL,
        incident_id TEXT NOT NULL,
        source TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (post_id, problem_index)
      ) WITHOUT ROWID;
      CREATE INDEX incident_reports_incident ON incident_reports (incident_id, seen_at);
    `,
  },
  {
    version: 2,
    name: 'source states and cursors',
    sql: `
      CREATE TABLE source_states (
        source_id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        cursor TEXT,
        health TEXT NOT NULL CHECK (health IN ('ok', 'failing', 'skipped', 'misconfigured')),
        last_run_at TEXT,
        last_success_at TEXT,
        last_error TEXT,
        last_error_code TEXT,
        last_error_at TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        posts_collected INTEGER NOT NULL DEFAULT 0,
        newest_post_at TEXT
      );
    `,
  },
  {
    version: 3,
    name: 'refutation registry',
    sql: `
      CREATE TABLE refutations (
        id TEXT PRIMARY KEY,
        claim TEXT NOT NULL,
        text TEXT,
        url TEXT NOT NULL,
        topic TEXT,
        published_at TEXT,
        created_at TEXT NOT NULL,
        signature BLOB NOT NULL
      );
      CREATE INDEX refutations_created ON refutations (created_at DESC);
      CREATE TABLE refutation_bands (
        band TEXT NOT NULL,
        refutation_id TEXT NOT NULL,
        PRIMARY KEY (band, refutation_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'editors flags on stories',
    sql: `
      CREATE TABLE story_flags (
        story_id TEXT NOT NULL,
        platform TEXT NOT NULL CHECK (platform IN ('vk', 'ok', 'telegram')),
        status TEXT NOT NULL CHECK (status IN ('flagged', 'reported', 'labelled', 'removed', 'rejected')),
        reason TEXT NOT NULL,
        refutation_id TEXT,
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        history TEXT NOT NULL,
        PRIMARY KEY (story_id, platform)
      );
      CREATE INDEX story_flags_status ON story_flags (status, updated_at DESC);
    `,
  },
  {
    version: 5,
    name: 'analyst decisions on incidents',
    sql: `
      -- Kept apart from the derived tables: \`radar reprocess\` rebuilds incidents, never analysts' decisions.
      CREATE TABLE incident_decisions (
        seq INTEGER PRIMARY KEY,
        incident_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('status')),
        value TEXT NOT NULL,
        note TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX incident_decisions_incident ON incident_decisions (incident_id, seq);
    `,
  },
  {
    version: 6,
    name: 'analyst merges and splits of incidents',
    sql: `
      -- Rebuilt to admit merges and splits: SQLite cannot alter a CHECK constraint. \`value\` holds the
      -- status for 'status', and JSON {"from": [ids], "to": id, "reports": [[post_id, problem_index]]} otherwise.
      CREATE TABLE incident_decisions_v6 (
        seq INTEGER PRIMARY KEY,
        incident_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('status', 'merge', 'split')),
        value TEXT NOT NULL,
        note TEXT,
        at TEXT NOT NULL
      );
      INSERT INTO incident_decisions_v6 (seq, incident_id, kind, value, note, at) SELECT seq, incident_id, kind, value, note, at FROM incident_decisions;
      DROP TABLE incident_decisions;
      ALTER TABLE incident_decisions_v6 RENAME TO incident_decisions;
      CREATE INDEX incident_decisions_incident ON incident_decisions (incident_id, seq);

      -- Analysts' placements, kept apart from the derived tables so that \`radar reprocess\` rebuilds them.
      CREATE TABLE incident_pins (
        post_id TEXT NOT NULL,
        problem_index INTEGER NOT NULL,
        incident_id TEXT NOT NULL,
        PRIMARY KEY (post_id, problem_index)
      ) WITHOUT ROWID;
      CREATE INDEX incident_pins_incident ON incident_pins (incident_id);
      -- Merged-away ids, flattened: to_id is always a live incident's id.
      CREATE TABLE incident_redirects (
        from_id TEXT PRIMARY KEY,
        to_id TEXT NOT NULL,
        at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX incident_redirects_to ON incident_redirects (to_id);

      -- What each report brought to its incident, so that a split can recompute both halves.
      -- NULL on reports stored before this version: the incident's own values stand in for them.
      ALTER TABLE incident_reports ADD COLUMN detail TEXT;
      ALTER TABLE incident_reports ADD COLUMN signature BLOB;
    `,
  },
  {
    version: 7,
    name: 'semantic fingerprints of story members; bounded incident key reads',
    sql: `
      -- Sign bits of the post's embedding (30 bytes) when an encoder is configured, for paraphrases.
      ALTER TABLE story_members ADD COLUMN semantic BLOB;
      -- A key's most recent incidents whatever their category: candidate reads stop after a few rows.
      CREATE INDEX incident_keys_key_recent ON incident_keys (key, last_seen DESC, incident_id DESC);
    `,
  },
  {
    version: 8,
    name: 'incident keys: one recency index, rows kept together per incident',
    sql: `
      -- Every report writes a dozen key rows and moves its incident's rows to the new last_seen. With
      -- the rows of one incident side by side (the primary key) and a broad key's category folded
      -- into the key (see indexedKey), one recency index serves every read: each key row costs one
      -- B-tree page instead of four, which is what dedup cost per post at a million posts came down to.
      CREATE TABLE incident_keys_v8 (
        incident_id TEXT NOT NULL,
        key TEXT NOT NULL,
        category TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (incident_id, key)
      ) WITHOUT ROWID;
      INSERT INTO incident_keys_v8 (incident_id, key, category, last_seen)
        SELECT incident_id, CASE WHEN key LIKE 'muni:%' OR key LIKE 'area:%' THEN key || '|' || category ELSE key END, category, last_seen
        FROM incident_keys;
      DROP TABLE incident_keys;
      ALTER TABLE incident_keys_v8 RENAME TO incident_keys;
      -- Covering: a read filters by category without a row lookup per entry it passes.
      CREATE INDEX incident_keys_key_recent ON incident_keys (key, last_seen DESC, incident_id DESC, category);
    `,
  },
  {
    version: 9,
    name: 'incident keys: the reporting source is read like a town',
    sql: `
      -- A placeless report in a city district's chat finds the chat's own recent incidents (dedup-limits
      -- isBroadKey); the source was kept with every incident but not indexed before.
      INSERT OR IGNORE INTO incident_keys (incident_id, key, category, last_seen)
        SELECT incidents.id, keys.value || '|' || incidents.category, incidents.category, incidents.last_seen
        FROM incidents, json_each(incidents.place_keys) AS keys
        WHERE keys.value LIKE 'src:%';
    `,
  },
];

export const migrate = (db: Database): number => {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const current = (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`Database schema version ${current} is newer than this Radar build supports (${latest}); upgrade Radar or point RADAR_DB at another file.`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
    })();
  }
  return latest;
};
