/**
 * Test support, not a product: an in-memory stand-in for the part of Elasticsearch that Radar's
 * store uses, behind `@elastic/elasticsearch-mock`, so that the store's own logic (batches, recent
 * writes, conflicts, edits, paging) runs end to end in `npm test`. It follows the documented
 * behaviour of what it implements (strict mappings, real-time get versus search after refresh,
 * optimistic concurrency with seq_no, bulk item statuses, nested queries, the aggregations the feed
 * uses) and no more. Its text analysis only lower-cases, folds ё and splits words: it does not
 * stem, so it says nothing about the Russian analyzer. Passing here is not passing on a cluster.
 */
import { Client, errors } from '@elastic/elasticsearch';
import MockModule, { type MockPattern } from '@elastic/elasticsearch-mock';
import { geohash } from '../../core/geohash.js';

const Mock = MockModule as unknown as typeof MockModule.default;

/** The mock's connection cannot be closed; the store closes its client on shutdown. */
export const closable = (Base: ReturnType<InstanceType<typeof Mock>['getConnection']>): typeof Base =>
  class extends Base {
    override async close(): Promise<void> {}
  };

type Json = Record<string, unknown>;

interface StoredDoc {
  readonly source: Json;
  readonly seqNo: number;
}

interface Mapping {
  readonly dynamic?: unknown;
  readonly properties?: Record<string, Json>;
}

interface IndexState {
  readonly name: string;
  readonly mappings: Mapping;
  readonly docs: Map<string, StoredDoc>;
  /** What search sees: the documents as of the last refresh. */
  visible: Map<string, StoredDoc>;
  readonly aliases: Set<string>;
}

export interface ClusterRequest {
  readonly method: string;
  readonly path: string;
  readonly querystring: Record<string, string>;
  readonly body: unknown;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const responseError = (status: number, type: string, reason: string): errors.ResponseError =>
  new errors.ResponseError({ body: { error: { type, reason, root_cause: [{ type, reason }] }, status }, statusCode: status, headers: {}, warnings: null, meta: {} as never });

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
  ) {
    super(reason);
  }
}

const fold = (text: string): string => text.toLowerCase().replaceAll('ё', 'е');
const tokens = (text: string): string[] => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Deep merge of a partial document, as `_update` with `doc` does: objects merge, the rest is replaced. */
const mergeDoc = (base: Json, patch: Json): Json => {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = isObject(value) && isObject(out[key]) ? mergeDoc(out[key] as Json, value) : value;
  return out;
};

const globToRegExp = (glob: string): RegExp => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

export class TestCluster {
  readonly templates = new Map<string, { readonly patterns: readonly string[]; readonly mappings: Mapping }>();
  readonly indices = new Map<string, IndexState>();
  readonly requests: ClusterRequest[] = [];
  /** Writes refused because the document changed since it was read (409). */
  conflicts = 0;
  /** Refresh before every search (`serveTestCluster`), as if the refresh interval were zero. */
  refreshOnSearch = false;
  /** Return an error (or a response) to answer a request instead of the cluster; undefined to let it through. */
  fault: ((request: ClusterRequest) => unknown) | null = null;
  #seq = 0;
  #pits = new Map<string, string>();

  handle(request: ClusterRequest): unknown {
    this.requests.push(request);
    const injected = this.fault?.(request);
    if (injected !== undefined) return injected;
    try {
      return this.#route(request);
    } catch (error) {
      if (error instanceof HttpError) return responseError(error.status, error.type, error.message);
      throw error;
    }
  }

  /** Makes every write searchable, as a refresh of every index does. */
  refreshAll(): void {
    for (const index of this.indices.values()) index.visible = new Map(index.docs);
  }

  #route(r: ClusterRequest): unknown {
    const parts = r.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [first, second, third] = parts;
    const body = (r.body ?? {}) as Json;
    if (first === '_bulk') return this.#bulk(r.body as Json[], r.querystring);
    if (first === '_mget') return this.#mget(body);
    if (first === '_search') return this.#search(null, body);
    if (first === '_pit' && r.method === 'DELETE') return { succeeded: true, num_freed: 1 };
    if (first === '_aliases') return this.#aliases(body);
    if (first === '_index_template' && second) {
      this.templates.set(second, { patterns: body.index_patterns as string[], mappings: ((body.template as Json | undefined)?.mappings ?? {}) as Mapping });
      return { acknowledged: true };
    }
    if (!first) throw new HttpError(400, 'illegal_argument_exception', 'no index');
    switch (second) {
      case undefined:
        if (r.method === 'PUT') return this.#createIndex(first, body);
        if (r.method === 'DELETE') {
          this.indices.delete(this.#resolve(first).name);
          return { acknowledged: true };
        }
        break;
      case '_alias':
        return this.#getAlias(first);
      case '_search':
        return this.#search(first, body);
      case '_msearch':
        return this.#msearch(first, r.body as Json[]);
      case '_count':
        return { count: this.#matching(this.#resolve(first), (body.query as Json | undefined) ?? { match_all: {} }, true).length };
      case '_pit': {
        const id = `pit-${++this.#seq}`;
        this.#pits.set(id, this.#resolve(first).name);
        return { id, _shards: { total: 1, successful: 1, failed: 0 } };
      }
      case '_refresh':
        for (const name of first.split(',')) {
          const index = this.#resolve(name);
          index.visible = new Map(index.docs);
        }
        return { _shards: { total: 1, successful: 1, failed: 0 } };
      case '_delete_by_query': {
        const index = this.#resolve(first);
        index.visible = new Map(index.docs);
        const hits = this.#matching(index, (body.query as Json | undefined) ?? { match_all: {} }, true);
        for (const hit of hits) index.docs.delete(hit.id);
        index.visible = new Map(index.docs);
        return { deleted: hits.length, failures: [] };
      }
      case '_doc':
      case '_create': {
        const op = second === '_create' || r.querystring.op_type === 'create' ? 'create' : 'index';
        const item = this.#write(first, op, third ?? `auto-${++this.#seq}`, body, r.querystring);
        this.#afterWrite(r.querystring, [first]);
        if ((item.status as number) >= 300) throw new HttpError(item.status as number, (item.error as Json).type as string, (item.error as Json).reason as string);
        return item;
      }
      case '_update': {
        const item = this.#write(first, 'update', third as string, body, r.querystring);
        this.#afterWrite(r.querystring, [first]);
        if ((item.status as number) >= 300) throw new HttpError(item.status as number, (item.error as Json).type as string, (item.error as Json).reason as string);
        const index = this.#resolve(first);
        return { ...item, ...(r.querystring._source === 'true' ? { get: { found: true, _source: index.docs.get(third as string)?.source } } : {}) };
      }
    }
    throw new HttpError(400, 'illegal_argument_exception', `the test cluster does not implement ${r.method} ${r.path}`);
  }

  #createIndex(name: string, body: Json): unknown {
    if (this.indices.has(name)) throw new HttpError(400, 'resource_already_exists_exception', `index [${name}] already exists`);
    const template = [...this.templates.values()].find((t) => t.patterns.some((p) => globToRegExp(p).test(name)));
    const index: IndexState = { name, mappings: template?.mappings ?? {}, docs: new Map(), visible: new Map(), aliases: new Set(Object.keys((body.aliases as Json | undefined) ?? {})) };
    this.indices.set(name, index);
    return { acknowledged: true, index: name };
  }

  #getAlias(pattern: string): unknown {
    const re = globToRegExp(pattern);
    return Object.fromEntries([...this.indices.values()].filter((i) => re.test(i.name)).map((i) => [i.name, { aliases: Object.fromEntries([...i.aliases].map((a) => [a, {}])) }]));
  }

  #aliases(body: Json): unknown {
    for (const action of body.actions as Json[]) {
      const [kind, spec] = Object.entries(action)[0] as [string, Json];
      const index = this.#resolve(spec.index as string);
      if (kind === 'add') index.aliases.add(spec.alias as string);
      else index.aliases.delete(spec.alias as string);
    }
    return { acknowledged: true };
  }

  /** An index by name or alias. */
  #resolve(name: string): IndexState {
    const own = this.indices.get(name);
    if (own) return own;
    const holders = [...this.indices.values()].filter((i) => i.aliases.has(name));
    if (holders.length === 1) return holders[0] as IndexState;
    throw new HttpError(404, 'index_not_found_exception', `no such index [${name}]`);
  }

  #afterWrite(qs: Record<string, string>, names: readonly string[]): void {
    if (qs.refresh === 'wait_for' || qs.refresh === 'true' || qs.refresh === '') {
      for (const name of names) {
        const index = this.#resolve(name);
        index.visible = new Map(index.docs);
      }
    }
  }

  #bulk(lines: readonly Json[], qs: Record<string, string>): unknown {
    const items: Json[] = [];
    const touched = new Set<string>();
    for (let i = 0; i < lines.length; i++) {
      const [op, meta] = Object.entries(lines[i] as Json)[0] as [string, Json];
      const body = op === 'delete' ? {} : (lines[++i] as Json);
      touched.add(meta._index as string);
      const item = this.#write(meta._index as string, op as 'index' | 'create' | 'update' | 'delete', meta._id as string, body, {
        ...(meta.if_seq_no === undefined ? {} : { if_seq_no: String(meta.if_seq_no), if_primary_term: String(meta.if_primary_term) }),
      });
      items.push({ [op]: item });
    }
    this.#afterWrite(qs, [...touched]);
    return { took: 1, errors: items.some((item) => ((Object.values(item)[0] as Json).status as number) >= 300), items };
  }

  #write(name: string, op: 'index' | 'create' | 'update' | 'delete', id: string, body: Json, qs: Record<string, string>): Json {
    let index: IndexState;
    try {
      index = this.#resolve(name);
    } catch {
      return { _index: name, _id: id, status: 404, error: { type: 'index_not_found_exception', reason: `no such index [${name}]` } };
    }
    const current = index.docs.get(id);
    const base = { _index: index.name, _id: id };
    if (qs.if_seq_no !== undefined && (!current || String(current.seqNo) !== qs.if_seq_no)) {
      this.conflicts++;
      return { ...base, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, required seqNo [${qs.if_seq_no}]` } };
    }
    if (op === 'delete') {
      if (!current) return { ...base, status: 404, result: 'not_found' };
      index.docs.delete(id);
      return { ...base, status: 200, result: 'deleted', _seq_no: ++this.#seq, _primary_term: 1 };
    }
    if (op === 'create' && current) this.conflicts++;
    if (op === 'create' && current) return { ...base, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists` } };
    let source: Json;
    if (op === 'update') {
      if (!current && !body.doc_as_upsert) return { ...base, status: 404, error: { type: 'document_missing_exception', reason: `[${id}]: document missing` } };
      source = mergeDoc(current?.source ?? {}, body.doc as Json);
    } else {
      source = body;
    }
    try {
      this.#checkMapping(index.mappings, source);
    } catch (error) {
      if (error instanceof HttpError) return { ...base, status: error.status, error: { type: error.type, reason: error.message } };
      throw error;
    }
    const seqNo = ++this.#seq;
    index.docs.set(id, { source, seqNo });
    return { ...base, status: current ? 200 : 201, result: current ? 'updated' : 'created', _seq_no: seqNo, _primary_term: 1 };
  }

  #checkMapping(mappings: Mapping, source: Json): void {
    if (mappings.dynamic !== 'strict') return;
    const check = (value: unknown, props: Record<string, Json>, path: string): void => {
      if (!isObject(value)) return;
      for (const [key, v] of Object.entries(value)) {
        const prop = props[key];
        const at = path ? `${path}.${key}` : key;
        if (!prop) throw new HttpError(400, 'strict_dynamic_mapping_exception', `[1:1] mapping set to strict, dynamic introduction of [${key}] within [${path || '_doc'}] is not allowed`);
        if (prop.enabled === false || v === null) continue;
        const values = Array.isArray(v) ? v : [v];
        for (const one of values) {
          if (prop.properties) {
            if (!isObject(one)) throw new HttpError(400, 'document_parsing_exception', `[1:1] object mapping for [${at}] tried to parse field [${at}] as object, but found a concrete value`);
            check(one, prop.properties as Record<string, Json>, at);
            continue;
          }
          const type = prop.type;
          const bad =
            ((type === 'keyword' || type === 'text' || type === 'binary') && typeof one !== 'string') ||
            (type === 'date' && (typeof one !== 'string' || Number.isNaN(Date.parse(one)))) ||
            ((type === 'integer' || type === 'long' || type === 'float') && typeof one !== 'number') ||
            (type === 'boolean' && typeof one !== 'boolean') ||
            (type === 'geo_point' && !(isObject(one) && typeof one.lat === 'number' && typeof one.lon === 'number'));
          if (bad) throw new HttpError(400, 'document_parsing_exception', `[1:1] failed to parse field [${at}] of type [${String(type)}]: ${JSON.stringify(one)}`);
        }
      }
    };
    check(source, mappings.properties ?? {}, '');
  }

  #mget(body: Json): unknown {
    return {
      docs: (body.docs as Json[]).map((d) => {
        let index: IndexState;
        try {
          index = this.#resolve(d._index as string);
        } catch {
          return { _index: d._index, _id: d._id, error: { type: 'index_not_found_exception', reason: `no such index [${String(d._index)}]` } };
        }
        const doc = index.docs.get(d._id as string);
        return doc ? { _index: index.name, _id: d._id, found: true, _seq_no: doc.seqNo, _primary_term: 1, _source: doc.source } : { _index: index.name, _id: d._id, found: false };
      }),
    };
  }

  #msearch(name: string, lines: readonly Json[]): unknown {
    const responses: unknown[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const header = lines[i] as Json;
      try {
        responses.push(this.#search((header.index as string | undefined) ?? name, lines[i + 1] as Json));
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        responses.push({ error: { type: error.type, reason: error.message }, status: error.status });
      }
    }
    return { took: 1, responses };
  }

  /** Field lookup through the mapping: where the values come from and how they compare. */
  #field(mappings: Mapping, path: string): { readonly source: string; readonly type: string; readonly normalize: boolean } {
    const parts = path.split('.');
    let props = mappings.properties ?? {};
    for (let i = 0; i < parts.length; i++) {
      const prop = props[parts[i] as string];
      if (!prop) break;
      if (i === parts.length - 1) return { source: path, type: String(prop.type ?? 'object'), normalize: false };
      if (prop.fields && i === parts.length - 2) {
        const sub = (prop.fields as Record<string, Json>)[parts[i + 1] as string];
        if (sub) return { source: parts.slice(0, i + 1).join('.'), type: String(sub.type), normalize: sub.normalizer !== undefined };
      }
      props = (prop.properties ?? {}) as Record<string, Json>;
    }
    return { source: path, type: 'keyword', normalize: false };
  }

  #values(source: Json, path: string): unknown[] {
    let current: unknown[] = [source];
    for (const part of path.split('.')) {
      const next: unknown[] = [];
      for (const node of current) {
        const value = isObject(node) ? node[part] : undefined;
        if (Array.isArray(value)) next.push(...value);
        else if (value !== undefined && value !== null) next.push(value);
      }
      current = next;
    }
    return current;
  }

  #comparable(type: string, value: unknown): number | string {
    if (type === 'date') return typeof value === 'number' ? value : Date.parse(String(value));
    return typeof value === 'number' ? value : String(value);
  }

  /** The score of a document for a query, or null when it does not match. */
  #score(mappings: Mapping, source: Json, query: Json): number | null {
    const [kind, spec] = Object.entries(query)[0] as [string, Json];
    const valuesOf = (path: string) => {
      const field = this.#field(mappings, path);
      return { field, values: this.#values(source, field.source).map((v) => (field.normalize && typeof v === 'string' ? fold(v) : v)) };
    };
    switch (kind) {
      case 'match_all':
        return 1;
      case 'term':
      case 'terms': {
        const [path, raw] = Object.entries(spec)[0] as [string, unknown];
        const { field, values } = valuesOf(path);
        const wanted = (kind === 'term' ? [isObject(raw) ? raw.value : raw] : (raw as unknown[])).map((v) => (field.normalize && typeof v === 'string' ? fold(v) : v));
        return values.some((v) => wanted.some((w) => w === v)) ? 1 : null;
      }
      case 'ids':
        return null;
      case 'exists':
        return this.#values(source, this.#field(mappings, spec.field as string).source).length > 0 ? 1 : null;
      case 'range': {
        const [path, bounds] = Object.entries(spec)[0] as [string, Json];
        const { field, values } = valuesOf(path);
        const ok = values.some((raw) => {
          const v = this.#comparable(field.type, raw);
          const cmp = (b: unknown) => this.#comparable(field.type, b);
          return (
            (bounds.gte === undefined || v >= cmp(bounds.gte)) &&
            (bounds.gt === undefined || v > cmp(bounds.gt)) &&
            (bounds.lte === undefined || v <= cmp(bounds.lte)) &&
            (bounds.lt === undefined || v < cmp(bounds.lt))
          );
        });
        return ok ? 1 : null;
      }
      case 'match': {
        const [path, raw] = Object.entries(spec)[0] as [string, unknown];
        const options = isObject(raw) ? raw : { query: raw };
        const wanted = tokens(String(options.query));
        if (wanted.length === 0) return null;
        const have = new Set(this.#values(source, path).flatMap((v) => tokens(String(v))));
        const hits = wanted.filter((t) => have.has(t)).length;
        return (options.operator === 'and' ? hits === wanted.length : hits > 0) ? hits : null;
      }
      case 'nested': {
        const path = spec.path as string;
        let best: number | null = null;
        for (const child of this.#values(source, path)) {
          const score = this.#score(mappings, { ...source, [path]: child }, spec.query as Json);
          if (score !== null && (best === null || score > best)) best = score;
        }
        return best;
      }
      case 'constant_score':
        return this.#score(mappings, source, spec.filter as Json) === null ? null : typeof spec.boost === 'number' ? spec.boost : 1;
      case 'bool': {
        const list = (key: string): Json[] => (spec[key] === undefined ? [] : Array.isArray(spec[key]) ? (spec[key] as Json[]) : [spec[key] as Json]);
        let score = 0;
        for (const q of list('filter')) if (this.#score(mappings, source, q) === null) return null;
        for (const q of list('must_not')) if (this.#score(mappings, source, q) !== null) return null;
        for (const q of list('must')) {
          const s = this.#score(mappings, source, q);
          if (s === null) return null;
          score += s;
        }
        const should = list('should');
        let matched = 0;
        for (const q of should) {
          const s = this.#score(mappings, source, q);
          if (s !== null) {
            matched++;
            score += s;
          }
        }
        const minimum = typeof spec.minimum_should_match === 'number' ? spec.minimum_should_match : list('must').length + list('filter').length > 0 ? 0 : should.length > 0 ? 1 : 0;
        return matched >= minimum ? score : null;
      }
    }
    throw new HttpError(400, 'parsing_exception', `the test cluster does not implement the [${kind}] query`);
  }

  #matching(index: IndexState, query: Json, includeScores: boolean): { id: string; source: Json; score: number }[] {
    const out: { id: string; source: Json; score: number }[] = [];
    for (const [id, doc] of index.visible) {
      const score = this.#score(index.mappings, doc.source, query);
      if (score !== null) out.push({ id, source: doc.source, score: includeScores ? score : 0 });
    }
    return out;
  }

  #search(name: string | null, body: Json): unknown {
    const pit = body.pit as Json | undefined;
    const indexName = pit ? this.#pits.get(pit.id as string) : name;
    if (!indexName) throw new HttpError(404, 'search_context_missing_exception', 'No search context found for id');
    const index = this.#resolve(indexName);
    const hits = this.#matching(index, (body.query as Json | undefined) ?? { match_all: {} }, true);
    const sort = ((body.sort as unknown[] | undefined) ?? []).map((s) => {
      if (typeof s === 'string') return { field: s, desc: s === '_score' };
      const [field, o] = Object.entries(s as Json)[0] as [string, unknown];
      const order = typeof o === 'string' ? o : ((o as Json).order as string | undefined);
      return { field, desc: order === 'desc' || (order === undefined && field === '_score') };
    });
    const keyOf = (hit: { source: Json; score: number }): (number | string | null)[] =>
      sort.map(({ field, desc }) => {
        if (field === '_score') return hit.score;
        const f = this.#field(index.mappings, field);
        const values = this.#values(hit.source, f.source).map((v) => this.#comparable(f.type, v));
        if (values.length === 0) return null;
        return values.reduce((a, b) => ((desc ? b > a : b < a) ? b : a));
      });
    const compare = (a: readonly (number | string | null)[], b: readonly (number | string | null)[]): number => {
      for (let i = 0; i < sort.length; i++) {
        const x = a[i] ?? null;
        const y = b[i] ?? null;
        if (x === y) continue;
        // Missing values sort last whatever the order.
        if (x === null) return 1;
        if (y === null) return -1;
        const c = x < y ? -1 : 1;
        return sort[i]?.desc ? -c : c;
      }
      return 0;
    };
    const keyed = hits.map((hit) => ({ hit, key: keyOf(hit) })).sort((a, b) => compare(a.key, b.key));
    const after = body.search_after as (number | string)[] | undefined;
    const start = after ? keyed.filter((k) => compare(k.key, after) > 0) : keyed;
    const size = typeof body.size === 'number' ? body.size : 10;
    return {
      took: 1,
      timed_out: false,
      ...(pit ? { pit_id: pit.id } : {}),
      hits: {
        total: { value: hits.length, relation: 'eq' },
        hits: start.slice(0, size).map(({ hit, key }) => ({ _index: index.name, _id: hit.id, _score: hit.score, _source: hit.source, sort: key })),
      },
      ...(body.aggs ? { aggregations: this.#aggregate(index, hits.map((h) => h.source), body.aggs as Json) } : {}),
    };
  }

  #aggregate(index: IndexState, docs: readonly Json[], aggs: Json): Json {
    const out: Json = {};
    for (const [name, spec] of Object.entries(aggs) as [string, Json][]) {
      if (spec.terms) {
        const terms = spec.terms as Json;
        const field = this.#field(index.mappings, terms.field as string);
        const groups = new Map<string, Json[]>();
        for (const doc of docs) {
          const keys = new Set(this.#values(doc, field.source).map((v) => (field.normalize ? fold(String(v)) : String(v))));
          for (const key of keys) groups.set(key, [...(groups.get(key) ?? []), doc]);
        }
        const order = Array.isArray(terms.order) ? (terms.order as Json[]) : terms.order ? [terms.order as Json] : [{ _count: 'desc' }, { _key: 'asc' }];
        const buckets = [...groups].map(([key, members]) => ({ key, doc_count: members.length, members }));
        buckets.sort((a, b) => {
          for (const o of order) {
            const [what, dir] = Object.entries(o)[0] as [string, string];
            const c = what === '_count' ? a.doc_count - b.doc_count : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
            if (c !== 0) return dir === 'desc' ? -c : c;
          }
          return 0;
        });
        out[name] = {
          buckets: buckets.slice(0, (terms.size as number | undefined) ?? 10).map((b) => ({
            key: b.key,
            doc_count: b.doc_count,
            ...(spec.aggs ? this.#aggregate(index, b.members, spec.aggs as Json) : {}),
          })),
        };
      } else if (spec.date_histogram) {
        const histogram = spec.date_histogram as Json;
        const days = new Map<string, number>();
        for (const doc of docs) {
          for (const v of this.#values(doc, histogram.field as string)) {
            const day = new Date(Date.parse(String(v))).toISOString().slice(0, 10);
            days.set(day, (days.get(day) ?? 0) + 1);
          }
        }
        out[name] = { buckets: [...days].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, count]) => ({ key: Date.parse(`${day}T00:00:00.000Z`), key_as_string: day, doc_count: count })) };
      } else if (spec.geohash_grid) {
        const grid = spec.geohash_grid as Json;
        const cells = new Map<string, number>();
        for (const doc of docs) {
          for (const v of this.#values(doc, grid.field as string)) {
            const p = v as { lat: number; lon: number };
            const cell = geohash(p.lat, p.lon, grid.precision as number);
            cells.set(cell, (cells.get(cell) ?? 0) + 1);
          }
        }
        out[name] = {
          buckets: [...cells]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
            .slice(0, (grid.size as number | undefined) ?? 10000)
            .map(([key, count]) => ({ key, doc_count: count })),
        };
      } else {
        throw new HttpError(400, 'parsing_exception', `the test cluster does not implement the aggregation ${JSON.stringify(Object.keys(spec))}`);
      }
    }
    return out;
  }
}

/** A client talking to a fresh test cluster. */
export const testCluster = (): { readonly cluster: TestCluster; readonly client: Client } => {
  const mock = new Mock();
  const cluster = new TestCluster();
  mock.add({ method: ['GET', 'POST', 'PUT', 'DELETE', 'HEAD'], path: '*' } as MockPattern, (params: MockPattern) =>
    cluster.handle({ method: params.method as string, path: params.path as string, querystring: (params.querystring ?? {}) as Record<string, string>, body: params.body }) as Json,
  );
  return { cluster, client: new Client({ node: 'http://127.0.0.1:9200', Connection: closable(mock.getConnection()), maxRetries: 0 }) };
};

/**
 * The test cluster behind a real HTTP server on 127.0.0.1, for tests that run the `radar` command
 * itself with ELASTICSEARCH_URL. `refreshOnSearch` makes every write searchable at once.
 */
export const serveTestCluster = async (cluster: TestCluster): Promise<{ readonly url: string; close(): Promise<void> }> => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const ndjson = (req.headers['content-type'] ?? '').includes('ndjson');
      const body = raw === '' ? null : ndjson ? raw.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown) : (JSON.parse(raw) as unknown);
      let status = 200;
      let payload: unknown;
      try {
        if (cluster.refreshOnSearch && /_search|_msearch|_count/.test(url.pathname)) cluster.refreshAll();
        payload = cluster.handle({ method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), querystring: Object.fromEntries(url.searchParams), body });
      } catch (error) {
        status = 500;
        payload = { error: { type: 'test_cluster_exception', reason: (error as Error).message }, status };
      }
      if (payload instanceof errors.ResponseError) {
        status = payload.statusCode ?? 500;
        payload = payload.body;
      }
      res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
