import { Hono } from 'hono';
import type { SourceState } from '../../store/contract.js';
import type { ApiDeps, ConfiguredSource } from '../deps.js';

const view = (configured: ConfiguredSource | null, state: SourceState | null, id: string, now: number) => ({
  id,
  type: configured?.type ?? state?.type ?? null,
  name: configured?.name ?? null,
  schedule: configured?.schedule ?? null,
  enabled: configured?.enabled ?? false,
  // A source in the store but no longer in the sources file: kept for its history.
  configured: configured !== null,
  health: state?.health ?? 'never-run',
  last_run_at: state?.lastRunAt ?? null,
  last_success_at: state?.lastSuccessAt ?? null,
  last_error: state?.lastError ?? null,
  last_error_code: state?.lastErrorCode ?? null,
  last_error_at: state?.lastErrorAt ?? null,
  consecutive_failures: state?.consecutiveFailures ?? 0,
  posts_collected: state?.postsCollected ?? 0,
  newest_post_at: state?.newestPostAt ?? null,
  /** Seconds since the last successful pass: how stale this source's part of the feed is. */
  lag_seconds: state?.lastSuccessAt ? Math.max(0, Math.round((now - Date.parse(state.lastSuccessAt)) / 1000)) : null,
});

export const sourcesApp = (deps: ApiDeps) =>
  new Hono().get('/', async (c) => {
    const states = new Map((await deps.store.listSourceStates()).map((s) => [s.sourceId, s]));
    const now = Date.now();
    const items = deps.sources.map((source) => view(source, states.get(source.id) ?? null, source.id, now));
    for (const [id, state] of states) if (!deps.sources.some((s) => s.id === id)) items.push(view(null, state, id, now));
    return c.json({ items });
  });
