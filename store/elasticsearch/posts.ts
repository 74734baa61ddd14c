/** Reads of posts and counts: the cluster for what the pipeline wrote, the local store for the rest. */
import type { Post } from '../../core/types.js';
import type { StoredPostView, StoreStats } from '../contract.js';
import { type EsContext, getDocs, search } from './context.js';
import { parsePostDoc, toPost, toStoredPostView } from './docs.js';
import { attempt } from './errors.js';
import { MAX_LISTED_POSTS } from './limits.js';

export const getPost = async (ctx: EsContext, id: string): Promise<StoredPostView | null> => {
  const [found] = await getDocs(ctx.client, [{ index: ctx.index.posts, id }], 'reading a post');
  // Pending posts are only in the local store of the process that holds them.
  return (found ? toStoredPostView(parsePostDoc(id, found.source)) : null) ?? ctx.local.getPost(id);
};

export const storyPosts = async (ctx: EsContext, storyId: string): Promise<Post[]> => {
  const hits = await search(
    ctx.client,
    {
      index: ctx.index.posts,
      size: MAX_LISTED_POSTS,
      query: { bool: { filter: [{ term: { 'story.id': storyId } }, { exists: { field: 'source' } }] } },
      sort: [{ seen_at: { order: 'asc' } }, { collected_at: { order: 'asc' } }, { post_id: { order: 'asc' } }],
      _source: { excludes: ['analysis', 'story'] },
    },
    "reading a story's posts",
  );
  return hits.flatMap((hit) => {
    const post = toPost(parsePostDoc(hit.id, hit.source));
    return post ? [post] : [];
  });
};

const count = async (ctx: EsContext, index: string, filter: object[] = []): Promise<number> =>
  (await attempt(`counting ${index}`, () => ctx.client.count({ index, query: { bool: { filter } } }))).count;

/**
 * Posts are the processed and failed ones the cluster holds plus the ones waiting in this process's
 * local store; in a deployment of several processes, `pending` is this process's own.
 */
export const stats = async (ctx: EsContext): Promise<StoreStats> => {
  const [local, posts, failed, incidents, stories] = await Promise.all([
    ctx.local.stats(),
    count(ctx, ctx.index.posts, [{ exists: { field: 'status' } }]),
    count(ctx, ctx.index.posts, [{ term: { status: 'failed' } }]),
    count(ctx, ctx.index.incidents),
    count(ctx, ctx.index.stories),
  ]);
  return { posts: posts + local.pending, pending: local.pending, failed, incidents, stories };
};
