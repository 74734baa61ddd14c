/**
 * Runs batches through the stages with bounded concurrency and backpressure. Analysis stages of
 * several batches may overlap; dedup, fake-risk and index run one batch at a time in submission
 * order, because each post must be compared with every post accepted before it.
 */
import PQueue from 'p-queue';
import type { Logger } from '../core/logger.js';
import type { Post } from '../core/types.js';
import type { NlpToolkit } from '../nlp/contract.js';
import type { AnalysisSink, DedupIndex } from '../store/contract.js';
import type { DedupSettings } from './dedup.js';
import type { AssessedItem, StageContext, StageName } from './items.js';
import { classify, dedup, embed, extract, fakeRisk, index, normalize, split } from './stages.js';

export interface PipelineOptions {
  readonly nlp: NlpToolkit;
  /** Usually the store: it implements both. */
  readonly sink: AnalysisSink;
  readonly dedupIndex: DedupIndex;
  readonly dedup: DedupSettings;
  readonly logger: Logger;
  /** Batches analysed at the same time. */
  readonly concurrency: number;
  /** Batches allowed to wait before `submit` makes the producer wait. */
  readonly maxQueuedBatches: number;
}

export interface FailedPost {
  readonly postId: string;
  readonly stage: StageName;
  readonly reason: string;
}

export interface BatchResult {
  readonly items: readonly AssessedItem[];
  readonly failed: readonly FailedPost[];
}

export interface Submission {
  /** Settles when the batch is indexed. */
  readonly done: Promise<BatchResult>;
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class Pipeline {
  readonly #options: PipelineOptions;
  readonly #analysis: PQueue;
  readonly #commit = new PQueue({ concurrency: 1 });

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#analysis = new PQueue({ concurrency: options.concurrency });
  }

  /** Queues a batch; resolves once it is accepted into the queue (later when the queue is full). */
  async submit(posts: readonly Post[]): Promise<Submission> {
    await this.#analysis.onSizeLessThan(this.#options.maxQueuedBatches);
    await this.#commit.onSizeLessThan(this.#options.maxQueuedBatches);
    const failed: FailedPost[] = [];
    const ctx = this.#context(failed);
    const analysed = this.#analysis.add(
      async () => {
        const items = posts.map((post) => ({ post }));
        return classify(await extract(await embed(await split(await normalize(items, ctx), ctx), ctx), ctx), ctx);
      },
      { throwOnTimeout: true },
    );
    const done = this.#commit.add(
      async (): Promise<BatchResult> => {
        const classified = await analysed;
        // A batch's writes form one transaction that only microtasks run through. Starting it on a
        // macrotask of its own means no other code of this process (an API handler called in-process,
        // a collector saving posts) can run in between and write inside that transaction.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const items = await this.#options.dedupIndex.batch(async () => index(await fakeRisk(await dedup(classified, ctx), ctx), ctx));
        for (const failure of failed) await this.#options.sink.markFailed(failure.postId, `${failure.stage}: ${failure.reason}`);
        return { items, failed };
      },
      { throwOnTimeout: true },
    );
    return { done };
  }

  get classifierVersion(): string {
    return this.#options.nlp.classifier.version;
  }

  /** Runs one batch to the end. */
  async run(posts: readonly Post[]): Promise<BatchResult> {
    return (await this.submit(posts)).done;
  }

  async idle(): Promise<void> {
    await this.#analysis.onIdle();
    await this.#commit.onIdle();
  }

  #context(failed: FailedPost[]): StageContext {
    const { nlp, sink, dedupIndex, dedup: settings, logger } = this.#options;
    return {
      nlp,
      sink,
      dedupIndex,
      dedup: settings,
      logger,
      fail: (post: Post, stage: StageName, error: unknown) => {
        const reason = reasonOf(error);
        failed.push({ postId: post.id, stage, reason });
        logger.warn('post failed in pipeline', { postId: post.id, stage, reason });
      },
    };
  }
}
