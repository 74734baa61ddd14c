/** The Elasticsearch client from Radar's configuration: URL, API key or basic auth, and a CA for TLS. */
import { readFileSync } from 'node:fs';
import type { Client, ClientOptions } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../../core/elasticsearch-config.js';
import { ConfigError } from '../../core/errors.js';
import { elasticsearch } from './library.js';

/**
 * A read is retried once by the client (a blip, another node), after its backoff of up to a couple
 * of seconds; more would keep an API request waiting through an outage. Bulk writes pass
 * `maxRetries: 0` and retry per item themselves.
 */
const READ_RETRIES = 1;
const REQUEST_TIMEOUT_MS = 30_000;

export const clientOptionsOf = (config: ElasticsearchConfig): ClientOptions => {
  if (!config.url) throw new ConfigError('Elasticsearch is not configured: set ELASTICSEARCH_URL (e.g. http://127.0.0.1:9200).');
  let ca: Buffer | undefined;
  if (config.ca) {
    try {
      ca = readFileSync(config.ca);
    } catch (error) {
      throw new ConfigError(
        `Cannot read ELASTICSEARCH_CA ${config.ca}: ${(error as Error).message}. Point it at the PEM file of the CA that signed the cluster's certificate.`,
      );
    }
  }
  return {
    node: config.url,
    ...(config.apiKey ? { auth: { apiKey: config.apiKey } } : config.username ? { auth: { username: config.username, password: config.password ?? '' } } : {}),
    ...(ca ? { tls: { ca } } : {}),
    maxRetries: READ_RETRIES,
    requestTimeout: REQUEST_TIMEOUT_MS,
  };
};

export const createClient = (config: ElasticsearchConfig, extra: Partial<ClientOptions> = {}): Client => new (elasticsearch().Client)({ ...clientOptionsOf(config), ...extra });
