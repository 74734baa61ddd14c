/** `radar es migrate` and `radar es status`: Radar's indices in the Elasticsearch of ELASTICSEARCH_URL. */
import type { Command } from 'commander';
import { loadConfig } from '../core/config.js';
import type { ElasticsearchConfig } from '../core/elasticsearch-config.js';
import { ConfigError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { createClient } from '../store/elasticsearch/client.js';
import { indexSpecs } from '../store/elasticsearch/mappings.js';
import { migrateIndices, planIndex, readAliases } from '../store/elasticsearch/migrate.js';
import { indexKeys, indexNames } from '../store/elasticsearch/names.js';
import { print } from './print.js';

const configured = (): ElasticsearchConfig => {
  const config = loadConfig().elasticsearch;
  if (!config.url) throw new ConfigError('No Elasticsearch configured: set ELASTICSEARCH_URL (and ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, ELASTICSEARCH_CA as needed).');
  return config;
};

export const registerEsCommands = (program: Command): void => {
  const es = program.command('es').description("Radar's Elasticsearch indices (ELASTICSEARCH_URL)");

  es.command('migrate')
    .description('Create index templates, indices and aliases; rebuild an index whose mapping version changed (reindex, then move its alias atomically)')
    .option('--delete-old', 'delete the previous index once its alias moved (default: keep it for a rollback)')
    .action(async (options: { deleteOld?: boolean }) => {
      const config = configured();
      const client = createClient(config);
      try {
        const steps = await migrateIndices(client, config.indexPrefix, { logger: createLogger(process.env.RADAR_LOG_LEVEL ? loadConfig().logLevel : 'warn'), deleteOld: options.deleteOld ?? false });
        for (const step of steps) {
          if (step.action === 'upgrade') print(`${step.alias}: reindexed ${step.documents ?? 0} document(s) from ${step.from} into ${step.index}; alias moved`);
          else if (step.action === 'current') print(`${step.alias}: ${step.index}, up to date`);
          else print(`${step.alias}: ${step.index} ${step.action === 'create' ? 'created' : 'attached'}`);
        }
      } finally {
        await client.close();
      }
    });

  es.command('status')
    .description('Show where each alias points and what `radar es migrate` would do')
    .action(async () => {
      const config = configured();
      const client = createClient(config);
      try {
        const aliases = await readAliases(client, config.indexPrefix);
        let pending = 0;
        for (const key of indexKeys) {
          const { alias } = indexNames(config.indexPrefix, key);
          try {
            const plan = planIndex(config.indexPrefix, key, indexSpecs[key], aliases);
            if (plan.action !== 'current') pending++;
            if (plan.action === 'current') print(`${alias}: ${plan.index}, up to date`);
            else if (plan.action === 'upgrade') print(`${alias}: ${plan.from}, needs migrate to ${plan.index}`);
            else print(`${alias}: missing, migrate creates ${plan.index}`);
          } catch (error) {
            pending++;
            print(`${alias}: ${(error as Error).message}`);
          }
        }
        if (pending > 0) process.exitCode = 1;
      } finally {
        await client.close();
      }
    });
};
