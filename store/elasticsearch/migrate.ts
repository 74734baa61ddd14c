/**
 * Creating and upgrading Radar's indices. Each index has a template (settings and mappings of its
 * version), a concrete index `<alias>-v<version>` and the alias the store uses. A new mapping
 * version is built next to the old one: reindex into `-v<new>`, check that nothing was written to
 * the old one meanwhile, then move the alias in one atomic `_aliases` call. Readers keep the old
 * index until that instant; writers (pipeline workers) must be stopped for the reindex, and their
 * posts wait, pending, in their local raw stores.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { attempt, classify, StoreRejectedError, toStoreError } from './errors.js';
import { type IndexSpec, indexSpecs } from './mappings.js';
import { type IndexKey, indexKeys, indexNames } from './names.js';

export type IndexPlan =
  | { readonly action: 'current'; readonly index: string }
  | { readonly action: 'create'; readonly index: string }
  /** The concrete index exists (an interrupted run) but the alias does not point at it yet. */
  | { readonly action: 'attach'; readonly index: string }
  | { readonly action: 'upgrade'; readonly from: string; readonly index: string; readonly exists: boolean };

export interface MigrationStep {
  readonly key: IndexKey;
  readonly alias: string;
  readonly action: IndexPlan['action'];
  readonly index: string;
  readonly from?: string;
  readonly documents?: number;
}

const aliasesResponse = z.record(z.string(), z.object({ aliases: z.record(z.string(), z.unknown()).default({}) }));

/** Concrete index -> the aliases on it, for every index under the prefix. */
export const readAliases = async (client: Client, prefix: string): Promise<Map<string, string[]>> => {
  const raw = await attempt('reading index aliases', () => client.indices.getAlias({ index: `${prefix}*` }));
  const parsed = aliasesResponse.parse(raw);
  return new Map(Object.entries(parsed).map(([index, { aliases }]) => [index, Object.keys(aliases)]));
};

/** What has to happen for one index, or a ConfigError when a person must decide. */
export const planIndex = (prefix: string, key: IndexKey, spec: IndexSpec, aliases: ReadonlyMap<string, readonly string[]>): IndexPlan => {
  const names = indexNames(prefix, key);
  const target = names.concrete(spec.version);
  if (aliases.has(names.alias)) {
    throw new ConfigError(
      `Elasticsearch has an index named ${names.alias} where Radar expects an alias (it was probably created by a write before \`radar es migrate\`); reindex it into ${target} and delete it, or delete it if it holds nothing of value.`,
    );
  }
  const holders = [...aliases].filter(([, list]) => list.includes(names.alias)).map(([index]) => index);
  if (holders.length > 1) throw new ConfigError(`Alias ${names.alias} points at several indices (${holders.sort().join(', ')}); Radar expects exactly one. Remove the extra ones from the alias.`);
  const holder = holders[0];
  if (holder === undefined) return aliases.has(target) ? { action: 'attach', index: target } : { action: 'create', index: target };
  const version = names.versionOf(holder);
  if (version === null) throw new ConfigError(`Alias ${names.alias} points at ${holder}, which is not a Radar index (expected ${names.pattern}).`);
  if (version === spec.version) return { action: 'current', index: target };
  if (version > spec.version) {
    throw new ConfigError(`Alias ${names.alias} points at ${holder}, mapping version ${version}, newer than this Radar build supports (${spec.version}); upgrade Radar.`);
  }
  return { action: 'upgrade', from: holder, index: target, exists: aliases.has(target) };
};

export const putTemplate = async (client: Client, prefix: string, key: IndexKey, spec: IndexSpec): Promise<void> => {
  const names = indexNames(prefix, key);
  await attempt(`putting index template ${names.template}`, () =>
    client.indices.putIndexTemplate({
      name: names.template,
      index_patterns: [names.pattern],
      // Above the built-in templates' priorities, so that ours apply to our indices.
      priority: 500,
      version: spec.version,
      _meta: { managed_by: 'radar', mapping_version: spec.version },
      template: { settings: spec.settings, mappings: spec.mappings },
    }),
  );
};

const createIndex = async (client: Client, index: string, alias: string | null): Promise<void> => {
  try {
    await client.indices.create({ index, ...(alias ? { aliases: { [alias]: {} } } : {}) });
  } catch (error) {
    // Two processes starting on a fresh cluster at once: the other one created it, with its alias.
    if (classify(error).detail.includes('resource_already_exists_exception')) return;
    throw toStoreError(error, `creating index ${index}`);
  }
};

const countOf = async (client: Client, index: string): Promise<number> =>
  (await attempt(`counting ${index}`, () => client.count({ index }))).count;

export interface MigrateOptions {
  readonly logger: Logger;
  /** Delete the previous index after the alias moved (default: keep it for a rollback). */
  readonly deleteOld?: boolean;
  /** How long one wait for the reindex task may block (default 60 s). */
  readonly taskWait?: estypes.Duration;
}

const reindex = async (client: Client, from: string, to: string, options: MigrateOptions): Promise<number> => {
  const started = await attempt(`reindexing ${from} into ${to}`, () => client.reindex({ source: { index: from }, dest: { index: to }, wait_for_completion: false }));
  const task = started.task;
  if (task === undefined) throw new StoreRejectedError(`Elasticsearch did not start a reindex task for ${from} -> ${to}.`);
  for (;;) {
    const status = await attempt(`waiting for reindex task ${task}`, () => client.tasks.get({ task_id: String(task), wait_for_completion: true, timeout: options.taskWait ?? '60s' }));
    if (!status.completed) {
      options.logger.info('reindex in progress', { from, to, task });
      continue;
    }
    const response = (status.response ?? {}) as estypes.ReindexResponse;
    const failures = response.failures ?? [];
    if (status.error || failures.length > 0) {
      const reason = status.error ? `${status.error.type}: ${status.error.reason ?? ''}` : `${failures.length} document(s) failed, first: ${JSON.stringify(failures[0])}`;
      throw new StoreRejectedError(`Reindexing ${from} into ${to} failed (${reason}); the alias still points at ${from}. Fix the cause and run \`radar es migrate\` again.`);
    }
    return (response.created ?? 0) + (response.updated ?? 0);
  }
};

const upgrade = async (client: Client, alias: string, plan: Extract<IndexPlan, { action: 'upgrade' }>, options: MigrateOptions): Promise<number> => {
  if (!plan.exists) await createIndex(client, plan.index, null);
  const copied = await reindex(client, plan.from, plan.index, options);
  // Counts only see refreshed documents.
  for (const index of [plan.from, plan.index]) await attempt(`refreshing ${index}`, () => client.indices.refresh({ index }));
  const [before, after] = [await countOf(client, plan.from), await countOf(client, plan.index)];
  if (after < before) {
    throw new StoreRejectedError(
      `${plan.from} holds ${before} documents but ${plan.index} only ${after}: something wrote to ${alias} during the reindex. Stop the pipeline workers and run \`radar es migrate\` again; the alias still points at ${plan.from}.`,
    );
  }
  await attempt(`moving alias ${alias} to ${plan.index}`, () =>
    client.indices.updateAliases({ actions: [{ remove: { index: plan.from, alias } }, { add: { index: plan.index, alias } }] }),
  );
  if (options.deleteOld) await attempt(`deleting ${plan.from}`, () => client.indices.delete({ index: plan.from }));
  return copied;
};

/** Brings every index to this build's mapping version. Safe to run again at any point. */
export const migrateIndices = async (client: Client, prefix: string, options: MigrateOptions, specs: Readonly<Record<IndexKey, IndexSpec>> = indexSpecs): Promise<MigrationStep[]> => {
  const aliases = await readAliases(client, prefix);
  // Plan everything first: a refusal (an index where an alias should be) must stop before any change.
  const plans = indexKeys.map((key) => ({ key, plan: planIndex(prefix, key, specs[key], aliases) }));
  const steps: MigrationStep[] = [];
  for (const { key, plan } of plans) {
    const { alias } = indexNames(prefix, key);
    await putTemplate(client, prefix, key, specs[key]);
    switch (plan.action) {
      case 'current':
        steps.push({ key, alias, action: plan.action, index: plan.index });
        break;
      case 'create':
        await createIndex(client, plan.index, alias);
        steps.push({ key, alias, action: plan.action, index: plan.index });
        break;
      case 'attach':
        await attempt(`pointing alias ${alias} at ${plan.index}`, () => client.indices.updateAliases({ actions: [{ add: { index: plan.index, alias } }] }));
        steps.push({ key, alias, action: plan.action, index: plan.index });
        break;
      case 'upgrade': {
        const documents = await upgrade(client, alias, plan, options);
        steps.push({ key, alias, action: plan.action, index: plan.index, from: plan.from, documents });
        break;
      }
    }
    options.logger.info('elasticsearch index ready', { ...steps.at(-1) });
  }
  return steps;
};

/**
 * What the store checks before its first request: missing indices are created (a fresh cluster
 * just works), an index at an older mapping version must be migrated by an operator first.
 */
export const ensureIndices = async (client: Client, prefix: string, logger: Logger, specs: Readonly<Record<IndexKey, IndexSpec>> = indexSpecs): Promise<void> => {
  const aliases = await readAliases(client, prefix);
  const plans = indexKeys.map((key) => ({ key, plan: planIndex(prefix, key, specs[key], aliases) }));
  const outdated = plans.filter((p) => p.plan.action === 'upgrade');
  if (outdated.length > 0) {
    const list = outdated.map((p) => `${indexNames(prefix, p.key).alias} (${(p.plan as { from: string }).from} -> ${p.plan.index})`).join(', ');
    throw new ConfigError(`Elasticsearch indices need a mapping upgrade: ${list}. Stop the pipeline workers and run \`radar es migrate\`.`);
  }
  if (plans.every((p) => p.plan.action === 'current')) return;
  logger.info('creating elasticsearch indices', { prefix });
  await migrateIndices(client, prefix, { logger }, specs);
};
