/** Turns validated public post inputs into raw posts for the store. */
import type { PostInput } from '../core/types.js';
import type { NewPost, Store } from '../store/contract.js';

export const toNewPost = (input: PostInput, defaultSource: string, raw: unknown = input): NewPost => ({
  source: input.source ?? defaultSource,
  externalId: input.id,
  text: input.text,
  author: input.author ?? null,
  url: input.url ?? null,
  publishedAt: input.published_at ?? null,
  location: input.location ?? null,
  raw,
});

export interface IngestDeps {
  readonly store: Store;
  /** Called after posts are stored, to have them processed in the background. */
  readonly schedule: () => void;
}

/** Stores raw posts first (so an accepted post survives a crash), then schedules processing. */
export const createIngest =
  ({ store, schedule }: IngestDeps, defaultSource: string) =>
  async (posts: readonly PostInput[], raw: readonly unknown[]): Promise<{ inserted: string[]; duplicates: string[] }> => {
    const saved = await store.savePosts(posts.map((post, i) => toNewPost(post, defaultSource, raw[i] ?? post)));
    if (saved.inserted.length > 0) schedule();
    return { inserted: saved.inserted.map((p) => p.id), duplicates: [...saved.duplicates] };
  };
