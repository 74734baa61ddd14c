/** Test support: an Elasticsearch client whose HTTP layer is `@elastic/elasticsearch-mock`. */
import { Client, errors } from '@elastic/elasticsearch';
import MockModule, { type MockPattern } from '@elastic/elasticsearch-mock';
import { indexSpecs } from './mappings.js';
import { closable } from './test-cluster.js';

// The package is CommonJS with an `export default` declaration: at run time the import is the class.
const Mock = MockModule as unknown as typeof MockModule.default;
type Mock = InstanceType<typeof Mock>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly querystring: Record<string, string>;
  readonly body: unknown;
}

export interface MockCluster {
  readonly mock: Mock;
  readonly client: Client;
  /** Every request the client sent, in order. */
  readonly requests: RecordedRequest[];
  /** Requests to a path (exact, or a RegExp), in order. */
  sent(method: string, path: string | RegExp): RecordedRequest[];
  /** Answers requests matching the pattern with `respond`, recording them. */
  on(method: string | string[], path: string | string[], respond: (request: RecordedRequest) => unknown): void;
}

export const mockCluster = (): MockCluster => {
  const mock = new Mock();
  const requests: RecordedRequest[] = [];
  const client = new Client({ node: 'http://127.0.0.1:9200', Connection: closable(mock.getConnection()), maxRetries: 0 });
  return {
    mock,
    client,
    requests,
    sent: (method, path) => requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))),
    on: (method, path, respond) => {
      mock.add({ method, path } as MockPattern, (params: MockPattern) => {
        const request: RecordedRequest = {
          method: params.method as string,
          path: params.path as string,
          querystring: (params.querystring ?? {}) as Record<string, string>,
          body: params.body,
        };
        requests.push(request);
        return respond(request) as Record<string, unknown>;
      });
    },
  };
};

/** An error response as Elasticsearch sends it. */
export const errorResponse = (status: number, type: string, reason: string): errors.ResponseError =>
  new errors.ResponseError({
    body: { error: { type, reason, root_cause: [{ type, reason }] }, status },
    statusCode: status,
    headers: {},
    warnings: null,
    meta: {} as never,
  });

/** What the client throws when nothing listens on the port. */
export const connectionRefused = (): errors.ConnectionError => new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200');

/** A bulk response item. */
export const bulkItem = (op: string, id: string, status: number, error?: { type: string; reason: string }) => ({
  [op]: { _index: 'x', _id: id, status, ...(error ? { error } : { _seq_no: 1, _primary_term: 1, result: 'created' }) },
});

/** Lets pending promise callbacks and immediate tasks run. */
export const settle = async (rounds = 20): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A mocked cluster whose Radar indices exist at the current mapping versions. */
export const readyCluster = (prefix = 'radar-'): MockCluster => {
  const es = mockCluster();
  es.on('GET', '/:index/_alias', () =>
    Object.fromEntries(Object.entries(indexSpecs).map(([key, spec]) => [`${prefix}${key}-v${spec.version}`, { aliases: { [`${prefix}${key}`]: {} } }])),
  );
  return es;
};
