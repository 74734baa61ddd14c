import { Hono } from 'hono';
import { NotFoundError, PayloadTooLargeError, ValidationError, type Issue } from '../../core/errors.js';
import { parsePostInput } from '../../core/post-input.js';
import type { PostInput } from '../../core/types.js';
import type { ApiDeps } from '../deps.js';
import { jsonBody } from '../validate.js';
import { postView } from '../views.js';

const itemsOf = (body: unknown): unknown[] => {
  if (Array.isArray(body)) return body;
  if (body !== null && typeof body === 'object' && Array.isArray((body as { posts?: unknown }).posts)) return (body as { posts: unknown[] }).posts;
  if (body !== null && typeof body === 'object') return [body];
  throw new ValidationError(`Invalid body: expected a post object, an array of posts or {"posts": [...]}, got ${body === null ? 'null' : typeof body}`);
};

export const postsApp = (deps: ApiDeps) =>
  new Hono()
    .post('/', async (c) => {
      const items = itemsOf(await jsonBody(c));
      if (items.length === 0) throw new ValidationError('Invalid body: expected at least one post, got an empty batch');
      if (items.length > deps.limits.maxBatch) {
        throw new PayloadTooLargeError(`Batch of ${items.length} posts exceeds the limit of ${deps.limits.maxBatch}; split it into smaller batches`);
      }
      const posts: PostInput[] = [];
      const issues: Issue[] = [];
      items.forEach((item, i) => {
        const parsed = parsePostInput(item, deps.limits.maxTextChars);
        if (parsed.ok) posts.push(parsed.value);
        else issues.push(...parsed.issues.map((issue) => ({ path: `[${i}].${issue.path}`.replace('.(root)', ''), message: issue.message })));
      });
      // All or nothing: a half-accepted batch is harder for the sender to retry correctly.
      if (issues.length > 0) {
        throw new ValidationError(`Invalid posts: ${issues.length} problem(s) in the batch, nothing was stored`, issues);
      }
      const result = await deps.ingest(posts, items);
      return c.json({ accepted: result.inserted.length, duplicates: result.duplicates.length, ids: result.inserted, duplicate_ids: result.duplicates }, 202);
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const view = await deps.store.getPost(id);
      if (!view) throw new NotFoundError(`Post ${JSON.stringify(id)} not found`);
      return c.json(postView(view));
    });
