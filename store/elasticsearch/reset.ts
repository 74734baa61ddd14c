/**
 * `radar reprocess` on Elasticsearch: every post the cluster holds is copied into this process's
 * local raw store first (in a scaled-out deployment other processes collected many of them), then
 * marked pending there, and only then are the derived indices emptied. A crash at any point leaves
 * every raw post in the local store, pending or still analysed, never lost. People's work (status
 * decisions, merges and splits with their pins and redirects, flags, refutations) stays.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { NewPost } from '../contract.js';
import { type EsContext, hitsOf } from './context.js';
import { parsePostDoc, toPost } from './docs.js';
import { attempt } from './errors.js';
import { PIT_KEEP_ALIVE, SCAN_PAGE } from './limits.js';
import { derivedIndexKeys } from './names.js';

const copyPostsToLocal = async (ctx: EsContext): Promise<number> => {
  let pit = (await attempt('opening a point in time over posts', () => ctx.client.openPointInTime({ index: ctx.index.posts, keep_alive: PIT_KEEP_ALIVE }))).id;
  let after: estypes.SortResults | undefined;
  let copied = 0;
  try {
    for (;;) {
      const response = await attempt('reading posts to reprocess', () =>
        ctx.client.search<unknown>({
          pit: { id: pit, keep_alive: PIT_KEEP_ALIVE },
          size: SCAN_PAGE,
          track_total_hits: false,
          query: { bool: { filter: [{ exists: { field: 'source' } }] } },
          sort: [{ collected_at: { order: 'asc' } }, { post_id: { order: 'asc' } }],
          _source: { excludes: ['analysis', 'story'] },
          ...(after ? { search_after: after } : {}),
        }),
      );
      pit = response.pit_id ?? pit;
      const hits = hitsOf(response);
      const posts: NewPost[] = [];
      for (const hit of hits) {
        const post = toPost(parsePostDoc(hit.id, hit.source));
        if (!post) continue;
        const { id: _id, ...fields } = post;
        posts.push(fields);
      }
      if (posts.length > 0) copied += (await ctx.local.savePosts(posts)).inserted.length;
      if (hits.length < SCAN_PAGE) break;
      after = [...(hits.at(-1)?.sort ?? [])];
    }
  } finally {
    await ctx.client.closePointInTime({ id: pit }).catch(() => undefined);
  }
  return copied;
};

export const resetAnalyses = async (ctx: EsContext): Promise<number> => {
  const copied = await copyPostsToLocal(ctx);
  if (copied > 0) ctx.logger.info('posts copied from elasticsearch to the local store for reprocessing', { posts: copied });
  const reset = await ctx.local.resetAnalyses();
  for (const key of derivedIndexKeys) {
    await attempt(`emptying ${ctx.index[key]}`, () =>
      ctx.client.deleteByQuery({ index: ctx.index[key], query: { match_all: {} }, conflicts: 'proceed', refresh: true, wait_for_completion: true }),
    );
  }
  ctx.recent.clear();
  return reset;
};
