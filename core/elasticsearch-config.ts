/**
 * The `elasticsearch` block of the configuration. Setting `url` (ELASTICSEARCH_URL) selects the
 * Elasticsearch store; without it Radar stays on the embedded SQLite store.
 */
import { z } from 'zod';

export const elasticsearchConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as http://127.0.0.1:9200' }).optional(),
    /** Base64 `id:api_key` as Kibana shows it (sent as `Authorization: ApiKey …`). */
    apiKey: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Path of a PEM file with the CA that signed the cluster's certificate. */
    ca: z.string().min(1).optional(),
    /** Prefix of every index, alias and template name, so that several deployments can share a cluster. */
    indexPrefix: z
      .string()
      .max(100)
      .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected lower-case letters, digits, "_", "." or "-", not starting with a symbol, e.g. radar-'),
  })
  .strict()
  // Issues point at `username`, never at a secret: the error message prints the offending value.
  .superRefine((value, ctx) => {
    if (value.apiKey !== undefined && (value.username !== undefined || value.password !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'expected either an API key or a username and password, not both' });
    }
    if ((value.username === undefined) !== (value.password === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'expected a username and a password together (ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD)' });
    }
  });

export type ElasticsearchConfig = z.infer<typeof elasticsearchConfigSchema>;

export const defaultElasticsearchConfig: ElasticsearchConfig = { indexPrefix: 'radar-' };

/** Environment variable -> key in the `elasticsearch` block. */
export const elasticsearchEnvKeys: Readonly<Record<string, string>> = {
  ELASTICSEARCH_URL: 'elasticsearch.url',
  ELASTICSEARCH_API_KEY: 'elasticsearch.apiKey',
  ELASTICSEARCH_USERNAME: 'elasticsearch.username',
  ELASTICSEARCH_PASSWORD: 'elasticsearch.password',
  ELASTICSEARCH_CA: 'elasticsearch.ca',
  ELASTICSEARCH_INDEX_PREFIX: 'elasticsearch.indexPrefix',
};
