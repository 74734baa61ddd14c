import { Hono } from 'hono';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';
import { platformOfUrl } from '../../core/platform.js';
import { flagStatuses, flagTransitions, platforms, type Platform, type StoryFlag } from '../../core/types.js';
import type { ApiDeps } from '../deps.js';
import { jsonBody, parseOrThrow } from '../validate.js';

const platformSchema = z.enum(platforms as unknown as [Platform, ...Platform[]]);
const flagBody = z.object({ platform: platformSchema, reason: z.string().trim().min(3).max(2_000), refutation_id: z.string().min(1).optional() }).strict();
const updateBody = z.object({ status: z.enum(flagStatuses as unknown as [string, ...string[]]), note: z.string().trim().max(2_000).optional() }).strict();
const reportQuery = z.object({ platform: platformSchema }).strict();

const flagView = (f: StoryFlag) => ({
  story_id: f.storyId,
  platform: f.platform,
  status: f.status,
  reason: f.reason,
  refutation_id: f.refutationId,
  note: f.note,
  created_at: f.createdAt,
  updated_at: f.updatedAt,
  history: f.history,
});

/** Editors' workflow on stories: flag a spreading claim, report it to a platform, record the decision. */
export const storiesApp = (deps: ApiDeps) => {
  const postsOf = async (id: string) => {
    const posts = await deps.store.storyPosts(id);
    if (posts.length === 0) throw new NotFoundError(`Story ${JSON.stringify(id)} not found`);
    return posts;
  };
  return new Hono()
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const posts = await postsOf(id);
      return c.json({
        id,
        posts: posts.map((p) => ({ id: p.id, source: p.source, url: p.url, platform: platformOfUrl(p.url), published_at: p.publishedAt, text: p.text })),
        flags: (await deps.store.storyFlags(id)).map(flagView),
      });
    })
    .post('/:id/flags', async (c) => {
      const id = c.req.param('id');
      await postsOf(id);
      const body = parseOrThrow(flagBody, await jsonBody(c), 'flag');
      if (body.refutation_id && !(await deps.store.getRefutation(body.refutation_id))) {
        throw new ValidationError(`Invalid flag: refutation_id ${JSON.stringify(body.refutation_id)} is not in the registry`, [{ path: 'refutation_id', message: 'unknown refutation' }]);
      }
      const flag = await deps.store.flagStory({ storyId: id, platform: body.platform, reason: body.reason, refutationId: body.refutation_id ?? null, at: new Date().toISOString() });
      return c.json(flagView(flag), 201);
    })
    .patch('/:id/flags/:platform', async (c) => {
      const id = c.req.param('id');
      const platform = parseOrThrow(platformSchema, c.req.param('platform'), 'platform');
      const body = parseOrThrow(updateBody, await jsonBody(c), 'flag update');
      const current = (await deps.store.storyFlags(id)).find((f) => f.platform === platform);
      if (!current) throw new NotFoundError(`Story ${JSON.stringify(id)} has no flag on ${platform}; flag it first`);
      const status = body.status as StoryFlag['status'];
      if (!flagTransitions[current.status].includes(status)) {
        throw new ConflictError(`Cannot move a ${current.status} flag to ${status}; allowed: ${flagTransitions[current.status].join(', ') || 'none (final)'}`);
      }
      const flag = await deps.store.updateFlag(id, platform, status, body.note ?? null, new Date().toISOString());
      return c.json(flagView(flag as StoryFlag));
    })
    .get('/:id/report', async (c) => {
      const id = c.req.param('id');
      const { platform } = parseOrThrow(reportQuery, c.req.query(), 'query');
      const posts = await postsOf(id);
      const flag = (await deps.store.storyFlags(id)).find((f) => f.platform === platform);
      if (!flag) throw new NotFoundError(`Story ${JSON.stringify(id)} has no flag on ${platform}; flag it first`);
      const refutation = flag.refutationId ? await deps.store.getRefutation(flag.refutationId) : null;
      return c.json({
        platform,
        story_id: id,
        status: flag.status,
        reason: flag.reason,
        refutation: refutation ? { url: refutation.url, text: refutation.text, topic: refutation.topic } : null,
        urls: posts.filter((p) => platformOfUrl(p.url) === platform).map((p) => p.url),
        generated_at: new Date().toISOString(),
      });
    });
};
