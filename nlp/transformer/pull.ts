/**
 * `radar models pull`: downloads a model from the Hugging Face Hub (or a mirror through HF_ENDPOINT)
 * into the models folder. Files are listed with their sizes and hashes by the hub API
 * (`/api/models/{id}/revision/{rev}?blobs=true`), downloaded from `/{id}/resolve/{commit}/{file}`
 * through the proxy the environment names, each checked against its sha256 (LFS files) or its git
 * blob id (small files), and the model directory is checked as a whole before anything is moved in:
 * a failed or corrupted pull leaves the models folder as it was.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import got, { HTTPError, type Got } from 'got';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { ModelRegistry, type EncoderCard } from '../model/registry.js';
import { hashModelDir, inspectModelDir, type ModelTask } from './model-dir.js';
import { agentsFor } from './proxy.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

const siblingSchema = z
  .object({
    rfilename: z.string().min(1),
    size: z.number().int().nonnegative().optional(),
    /** Git blob id (sha1 of `blob <size>\0<bytes>`), the checksum of files kept in git. */
    blobId: z.string().optional(),
    lfs: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() }).loose().optional(),
  })
  .loose();

const modelInfoSchema = z
  .object({
    sha: z.string().optional(),
    siblings: z.array(siblingSchema),
  })
  .loose();

type Sibling = z.infer<typeof siblingSchema>;

export interface PullOptions {
  /** Hub id, `org/name`. */
  readonly id: string;
  readonly revision?: string;
  /** Fetch `onnx/model_quantized.onnx` (int8, about a quarter of the size) instead of `onnx/model.onnx`. */
  readonly quantized?: boolean;
  readonly modelsDir: string;
  /** Target directory; default `<modelsDir>/<id>`. */
  readonly out?: string;
  /** HF_ENDPOINT, HF_TOKEN, HTTPS_PROXY, HTTP_PROXY, NO_PROXY. */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export interface PulledFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface PullResult {
  readonly dir: string;
  /** What `RADAR_ENCODER=transformer:<spec>` names: the directory relative to the models folder. */
  readonly spec: string;
  readonly card: EncoderCard;
}

/** Files a transformers.js model directory uses, besides the ONNX weights; the first three are required. */
const required = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const optional = ['special_tokens_map.json', 'config_sentence_transformers.json', '1_Pooling/config.json', 'modules.json', 'sentence_bert_config.json', 'README.md', 'LICENSE', 'LICENSE.txt', 'LICENSE.md'];

const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** Hub ids are one or two path segments of letters, digits, `-`, `_`, `.`. */
const idPattern = /^[\w.-]+(\/[\w.-]+)?$/;

/** Picks the files to fetch; a model without the needed ONNX export is an error listing what it has. */
export const selectFiles = (id: string, siblings: readonly Sibling[], quantized: boolean): Sibling[] => {
  const byName = new Map(siblings.map((s) => [s.rfilename, s]));
  const missing = required.filter((f) => !byName.has(f));
  const onnx = quantized ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx';
  const available = siblings.map((s) => s.rfilename).filter((f) => f.endsWith('.onnx'));
  if (!byName.has(onnx)) {
    throw new ConfigError(
      `${id} has no ${onnx}; ONNX files in the repository: ${available.join(', ') || 'none'}. ${available.length > 0 ? `Try ${quantized ? 'without' : 'with'} --quantized, or` : 'Use'} an ONNX export of the model (Xenova/<name> repositories carry onnx/ for many models).`,
    );
  }
  if (missing.length > 0) throw new ConfigError(`${id} lacks ${missing.join(', ')}, which transformers.js needs to load it.`);
  const data = siblings.filter((s) => s.rfilename === `${onnx}_data` || s.rfilename.startsWith(`${onnx}_data_`));
  return [...required, ...optional.filter((f) => byName.has(f)), onnx].map((f) => byName.get(f) as Sibling).concat(data);
};

/** Counts bytes and hashes them on the way to disk: sha256, and the git blob sha1 when the size is known. */
const hashingStream = (expectedSize: number | undefined) => {
  const sha256 = createHash('sha256');
  const blob = createHash('sha1');
  if (expectedSize !== undefined) blob.update(`blob ${expectedSize}\0`);
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      sha256.update(chunk);
      blob.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ size, sha256: sha256.digest('hex'), blobId: blob.digest('hex') }) };
};

export const pullModel = async (options: PullOptions): Promise<PullResult> => {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const { id } = options;
  if (!idPattern.test(id) || id.includes('..')) throw new ConfigError(`Expected a hub id like intfloat/multilingual-e5-small, got "${id}"`);
  const revision = options.revision ?? 'main';
  const endpoint = (env.HF_ENDPOINT?.trim() || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const modelsDir = resolve(options.modelsDir);
  const out = resolve(options.out ?? join(modelsDir, id));
  const agents = agentsFor(env);
  const token = env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN;
  const client: Got = got.extend({
    headers: { 'user-agent': 'radar-models-pull', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    // A large model takes minutes: limit stalls, not the whole transfer.
    timeout: { lookup: 15_000, connect: 20_000, secureConnect: 20_000, socket: 60_000, response: 60_000 },
    retry: { limit: 2 },
    hooks: {
      // The hub redirects LFS files to a CDN host: NO_PROXY is judged for that host too.
      beforeRedirect: [
        (opts) => {
          if (opts.url) opts.agent = agents(new URL(opts.url.toString()));
        },
      ],
    },
  });

  const infoUrl = `${endpoint}/api/models/${encodePath(id)}/revision/${encodeURIComponent(revision)}?blobs=true`;
  let info: z.infer<typeof modelInfoSchema>;
  try {
    const body: unknown = await client.get(infoUrl, { agent: agents(new URL(infoUrl)) }).json();
    const parsed = modelInfoSchema.safeParse(body);
    if (!parsed.success) throw new ConfigError(`The hub answered ${infoUrl} with an unexpected payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    info = parsed.data;
  } catch (error) {
    if (error instanceof HTTPError) {
      const status = error.response.statusCode;
      const hint = status === 401 || status === 403 ? 'the model may be gated or private: set HF_TOKEN' : status === 404 ? 'check the hub id and --revision' : 'try again later';
      throw new ConfigError(`Cannot list ${id}@${revision} at ${endpoint} (HTTP ${status} from ${infoUrl}): ${hint}.`);
    }
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Cannot reach ${endpoint} to list ${id}@${revision}: ${(error as Error).message}. Check the network, HTTPS_PROXY/NO_PROXY, or HF_ENDPOINT for a mirror.`);
  }
  const files = selectFiles(id, info.siblings, options.quantized ?? false);
  const commit = info.sha ?? revision;

  const parent = dirname(out);
  // Made here only for the staging folder: removed again if the pull fails.
  const madeParent = mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(out)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  const pulled: PulledFile[] = [];
  try {
    for (const file of files) {
      const url = `${endpoint}/${encodePath(id)}/resolve/${encodeURIComponent(commit)}/${encodePath(file.rfilename)}`;
      const target = join(staging, ...file.rfilename.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      const expectedSize = file.lfs?.size ?? file.size;
      const hashing = hashingStream(expectedSize);
      try {
        await pipeline(client.stream(url, { agent: agents(new URL(url)) }), hashing.stream, createWriteStream(target));
      } catch (error) {
        const status = error instanceof HTTPError ? ` (HTTP ${error.response.statusCode})` : '';
        throw new ConfigError(`Download of ${file.rfilename} from ${url} failed${status}: ${(error as Error).message}. Nothing was installed; run the pull again.`);
      }
      const received = hashing.result();
      if (expectedSize !== undefined && received.size !== expectedSize) {
        throw new ConfigError(`${file.rfilename} of ${id}@${commit}: expected ${expectedSize} bytes, received ${received.size}. Nothing was installed; run the pull again.`);
      }
      if (file.lfs && received.sha256 !== file.lfs.sha256) {
        throw new ConfigError(`${file.rfilename} of ${id}@${commit} failed its checksum: expected sha256 ${file.lfs.sha256}, received ${received.sha256}. Nothing was installed; run the pull again (or check the mirror in HF_ENDPOINT).`);
      }
      if (!file.lfs && file.blobId && received.blobId !== file.blobId) {
        throw new ConfigError(`${file.rfilename} of ${id}@${commit} failed its checksum: expected git blob ${file.blobId}, received ${received.blobId}. Nothing was installed; run the pull again (or check the mirror in HF_ENDPOINT).`);
      }
      if (!file.lfs && !file.blobId && expectedSize === undefined) {
        throw new ConfigError(`The hub listed ${file.rfilename} of ${id} without a size or checksum, so it cannot be verified. Nothing was installed.`);
      }
      pulled.push({ path: file.rfilename, size: received.size, sha256: received.sha256 });
      log(`  ${file.rfilename}: ${received.size.toLocaleString('en-US')} bytes, verified`);
    }
    const config = JSON.parse(readFileSync(join(staging, 'config.json'), 'utf8')) as { architectures?: unknown };
    const task: ModelTask = Array.isArray(config.architectures) && config.architectures.some((a) => String(a).endsWith('ForTokenClassification')) ? 'token-classification' : 'feature-extraction';
    // Loadable as a whole (files parse, the graph has the inputs and output we use) before it is installed.
    const dir = inspectModelDir(staging, { modelsDir, task, fix: 'Nothing was installed.', knownAs: id });
    const hash = hashModelDir(dir);
    for (const file of pulled) {
      const target = join(out, ...file.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staging, ...file.path.split('/')), target);
    }
    const spec = relative(modelsDir, out).split(sep).join('/');
    const card: EncoderCard = {
      id,
      revision,
      sha: info.sha ?? null,
      dir: spec.startsWith('..') ? out : spec,
      task,
      quantized: options.quantized ?? false,
      hash,
      pulled: new Date().toISOString(),
      files: pulled.map((f) => ({ ...f })),
    };
    new ModelRegistry(modelsDir).registerEncoder(card);
    return { dir: out, spec: card.dir, card };
  } catch (error) {
    if (madeParent && !existsSync(out)) rmSync(madeParent, { recursive: true, force: true });
    throw error;
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
};
