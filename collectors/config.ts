/**
 * The sources file (`radar collect --config sources.yaml`): which sources to poll, how, and when.
 * Validated at start-up; every error names the source and the field.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { zodIssues } from '../core/zod-issues.js';
import { defaultHttpSettings } from './base/http.js';
import type { LimitOverride } from './base/rate-limits.js';
import { htmlSourceSchema } from './html/index.js';
import { okSourceSchema } from './ok/index.js';
import { rssSourceSchema } from './rss/index.js';
import { telegramSourceSchema } from './telegram/index.js';
import { vkSourceSchema } from './vk/index.js';

export const sourceSchema = z.discriminatedUnion('type', [vkSourceSchema, okSourceSchema, telegramSourceSchema, rssSourceSchema, htmlSourceSchema]);

export type SourceConfig = z.infer<typeof sourceSchema>;

const httpSchema = z
  .object({
    userAgent: z.string().min(1),
    timeoutMs: z.number().int().min(100).max(300_000),
    retries: z.number().int().min(0).max(10),
    backoffLimitMs: z.number().int().min(0).max(600_000),
    maxRetryAfterMs: z.number().int().min(0).max(3_600_000),
    /** Replaces the per-host limits table for every host: only for local mirrors and tests. */
    pacing: z.object({ intervalCap: z.number().int().min(1), intervalMs: z.number().int().min(1) }).strict(),
  })
  .partial()
  .strict();

export const sourcesFileSchema = z
  .object({
    http: httpSchema.optional(),
    sources: z.array(z.unknown()).min(1, { message: 'sources must list at least one source' }),
  })
  .strict();

export interface SourcesConfig {
  readonly http: typeof defaultHttpSettings;
  readonly pacing: LimitOverride | null;
  readonly sources: readonly SourceConfig[];
}

const label = (raw: unknown, index: number): string => {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `sources[${index}] (id "${id}")` : `sources[${index}]`;
};

/** Validates a parsed sources file; `origin` names the file in messages. */
export const parseSourcesConfig = (value: unknown, origin: string): SourcesConfig => {
  const top = sourcesFileSchema.safeParse(value);
  if (!top.success) {
    const issues = zodIssues(top.error, value);
    throw new ConfigError(`Invalid sources file ${origin}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  const sources: SourceConfig[] = [];
  const problems: { path: string; message: string }[] = [];
  top.data.sources.forEach((raw, index) => {
    const parsed = sourceSchema.safeParse(raw);
    if (parsed.success) sources.push(parsed.data);
    else for (const issue of zodIssues(parsed.error, raw)) problems.push({ path: `${label(raw, index)}.${issue.path}`, message: issue.message });
  });
  const seen = new Set<string>();
  for (const source of sources) {
    if (seen.has(source.id)) problems.push({ path: `sources (id "${source.id}")`, message: 'duplicate source id; ids must be unique' });
    seen.add(source.id);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid sources file ${origin}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  const { pacing, ...http } = top.data.http ?? {};
  return { http: { ...defaultHttpSettings, ...http }, pacing: pacing ?? null, sources };
};

export const loadSourcesConfig = (path: string): SourcesConfig => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read sources file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`Sources file ${path} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  return parseSourcesConfig(value, path);
};
