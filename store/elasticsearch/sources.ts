/**
 * Collectors' state. The local raw store is the authority: a pass's posts and its new cursor are
 * committed there together. Each change is then copied to the `sources` index, so that the API of
 * any process lists every source of a deployment whose collectors run in several processes, and a
 * collector moved to another process resumes from its cursor. The copy is best effort: when the
 * cluster is down the next pass copies the state again.
 */
import type { SourceState } from '../contract.js';
import { type EsContext, getDocs, search } from './context.js';
import { parseWith, sourceDoc, sourceDocSchema, toSourceState } from './docs.js';

export const mirrorSource = async (ctx: EsContext, sourceId: string): Promise<void> => {
  try {
    const state = await ctx.local.getSourceState(sourceId);
    if (state) await ctx.client.index({ index: ctx.index.sources, id: sourceId, document: sourceDoc(state) });
  } catch (error) {
    ctx.logger.warn('source state not copied to elasticsearch', { sourceId, error });
  }
};

/** The copy of a source's state, for a collector that moved here from another process. */
export const copiedSourceState = async (ctx: EsContext, sourceId: string): Promise<SourceState | null> => {
  const [found] = await getDocs(ctx.client, [{ index: ctx.index.sources, id: sourceId }], 'reading a source state');
  return found ? toSourceState(parseWith(sourceDocSchema, 'source state', sourceId, found.source)) : null;
};

export const listSourceStates = async (ctx: EsContext): Promise<SourceState[]> => {
  const states = new Map<string, SourceState>();
  try {
    const hits = await search(ctx.client, { index: ctx.index.sources, size: 10_000, sort: [{ source_id: { order: 'asc' } }] }, 'listing source states');
    for (const hit of hits) states.set(hit.id, toSourceState(parseWith(sourceDocSchema, 'source state', hit.id, hit.source)));
  } catch (error) {
    ctx.logger.warn('source states of other processes unavailable', { error });
  }
  // This process's own sources: its local store is fresher than the copy.
  for (const state of await ctx.local.listSourceStates()) states.set(state.sourceId, state);
  return [...states.values()].sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
};
