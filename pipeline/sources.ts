/** Turns the sources file into runnable sources: one collector each, sharing per-host pacing. */
import { HostQueues } from '../collectors/base/rate-limits.js';
import type { SourcesConfig } from '../collectors/config.js';
import { createCollector } from '../collectors/registry.js';
import type { RadarConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { RunnableSource } from './collect.js';

export interface SourceInfo {
  readonly id: string;
  readonly type: string;
  readonly name: string | null;
  readonly schedule: string;
  readonly enabled: boolean;
}

export const buildSources = (
  config: SourcesConfig,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
  queues = new HostQueues(config.pacing ?? undefined),
): RunnableSource[] =>
  config.sources.map((source) => ({
    id: source.id,
    type: source.type,
    enabled: source.enabled,
    schedule: source.schedule,
    collector: createCollector(source, { http: config.http, queues, env, logger: logger.child({ sourceId: source.id }) }),
  }));

export const sourceInfos = (config: SourcesConfig | null): SourceInfo[] =>
  (config?.sources ?? []).map((s) => ({ id: s.id, type: s.type, name: s.name ?? null, schedule: s.schedule, enabled: s.enabled }));


/** The config with each source's `municipality` as its area for incident merging; config entries win. */
export const withSourceAreas = (config: RadarConfig, sources: SourcesConfig | null): RadarConfig => {
  const areas = Object.fromEntries((sources?.sources ?? []).flatMap((s) => (s.municipality ? [[s.id, s.municipality] as const] : [])));
  return Object.keys(areas).length === 0 ? config : { ...config, dedup: { ...config.dedup, sourceAreas: { ...areas, ...config.dedup.sourceAreas } } };
};
