/**
 * The writes of one pipeline batch, held until the batch ends and then sent as bulk requests
 * (`commit.ts`). Until then they are visible only to this batch's own lookups; a batch that fails
 * leaves nothing behind, like a rolled-back transaction. Incidents and stories keep the operations
 * applied to them, so that a write refused by a concurrent change is redone on the fresh document.
 */
import type { PostAnalysis } from '../../core/types.js';
import type { StoryMember } from '../contract.js';
import type { IncidentDoc, ReportDoc, StoryDoc, StoryMemberDoc } from './docs.js';
import type { IncidentOp, LastDecision } from './incident-docs.js';

interface Versioned {
  seqNo: number | null;
  primaryTerm: number | null;
  /** Posts whose processing wrote to this document: they fail with it. */
  readonly posts: Set<string>;
  dirty: boolean;
}

export interface TrackedIncident extends Versioned {
  readonly id: string;
  doc: IncidentDoc | null;
  readonly ops: IncidentOp[];
  /** Loaded when the document is new or resolved, where the rules need it; undefined until then. */
  decided: LastDecision | null | undefined;
}

export interface TrackedStory extends Versioned {
  readonly id: string;
  doc: StoryDoc | null;
  readonly members: StoryMember[];
}

export class BatchState {
  readonly incidents = new Map<string, TrackedIncident>();
  readonly stories = new Map<string, TrackedStory>();
  /** Partial post documents, merged into the stored ones (created when missing). */
  readonly posts = new Map<string, Record<string, unknown>>();
  /** Story membership of posts as read or set in this batch; null when a post is in none. */
  readonly members = new Map<string, StoryMemberDoc | null>();
  /** Report documents to write, by report key. */
  readonly reports = new Map<string, ReportDoc>();
  readonly processed: PostAnalysis[] = [];
  readonly failed: { readonly postId: string; readonly reason: string }[] = [];
  /** A failure of the cluster seen by a lookup: the batch must be repeated, not committed. */
  abort: unknown = null;

  patchPost(postId: string, fields: Record<string, unknown>): void {
    this.posts.set(postId, { ...(this.posts.get(postId) ?? { post_id: postId }), ...fields });
  }
}
