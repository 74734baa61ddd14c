/** What every part of the Elasticsearch store shares, and the read helpers they all use. */
import type { Client, estypes } from '@elastic/elasticsearch';
import type { Logger } from '../../core/logger.js';
import type { Store } from '../contract.js';
import type { BulkWriter } from './bulk-writer.js';
import { attempt, describeErrorBody, StoreRejectedError, StoreUnavailableError } from './errors.js';
import { MGET_CHUNK } from './limits.js';
import type { AliasMap } from './names.js';
import type { RecentWrites } from './recent-writes.js';

export interface EsContext {
  readonly client: Client;
  /** The alias of each index. */
  readonly index: AliasMap;
  readonly writer: BulkWriter;
  readonly logger: Logger;
  /** The local raw store: posts before processing, collectors' cursors. */
  readonly local: Store;
  readonly recent: RecentWrites;
  /** Refresh for people's actions (flags, decisions, edits): the next read must show them. */
  readonly editorialRefresh: 'wait_for' | true;
}

export interface Fetched {
  readonly id: string;
  readonly source: unknown;
  readonly seqNo: number | null;
  readonly primaryTerm: number | null;
}

/**
 * Documents by id, in request order (null when missing). A get is real-time: it sees a document
 * written a moment ago, before any refresh, which is why the store reads by id wherever it can.
 */
export const getDocs = async (client: Client, requests: readonly { readonly index: string; readonly id: string }[], action: string): Promise<(Fetched | null)[]> => {
  const out: (Fetched | null)[] = [];
  for (let i = 0; i < requests.length; i += MGET_CHUNK) {
    const chunk = requests.slice(i, i + MGET_CHUNK);
    const response = await attempt(action, () => client.mget({ docs: chunk.map((r) => ({ _index: r.index, _id: r.id })) }));
    for (const doc of response.docs) {
      if ('error' in doc) {
        const detail = describeErrorBody({ error: doc.error });
        if (doc.error.type === 'index_not_found_exception') throw new StoreRejectedError(`Elasticsearch has no index ${doc._index} (${action}): run \`radar es migrate\`.`);
        throw new StoreUnavailableError(`Elasticsearch could not read ${doc._index}/${doc._id} (${action}): ${detail}`);
      }
      out.push(doc.found ? { id: doc._id, source: doc._source, seqNo: doc._seq_no ?? null, primaryTerm: doc._primary_term ?? null } : null);
    }
  }
  return out;
};

export interface Hit {
  readonly id: string;
  readonly source: unknown;
  readonly sort: readonly estypes.FieldValue[];
}

export const hitsOf = (response: estypes.SearchResponse<unknown>): Hit[] =>
  response.hits.hits.map((hit) => ({ id: hit._id ?? '', source: hit._source, sort: hit.sort ?? [] }));

export const search = async (client: Client, request: estypes.SearchRequest, action: string): Promise<Hit[]> =>
  hitsOf(await attempt(action, () => client.search<unknown>(request)));
