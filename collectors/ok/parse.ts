/** One OK media topic into a post: text from its text blocks, links and photo URLs kept in `raw`. */
import { zodIssues } from '../../core/zod-issues.js';
import type { CollectedItem, SkippedItem } from '../types.js';
import { entitySchema, topicSchema, type Entity, type Topic } from './schema.js';

export type ParsedTopic = { ok: true; item: CollectedItem; topic: Topic } | { ok: false; skipped: SkippedItem; topicId?: string };

/** Entities of a page indexed by ref ("group:123", "user:45", "group_photo:678"). */
export type EntityIndex = ReadonlyMap<string, { readonly entity: Entity; readonly raw: unknown }>;

// Keys of `entities` are plural collection names; refs use the singular type.
const refPrefix: Readonly<Record<string, string>> = { groups: 'group', users: 'user', group_photos: 'group_photo', photos: 'photo' };

export const indexEntities = (entities: Readonly<Record<string, unknown>>): EntityIndex => {
  const index = new Map<string, { entity: Entity; raw: unknown }>();
  for (const [collection, list] of Object.entries(entities)) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const parsed = entitySchema.safeParse(raw);
      if (!parsed.success) continue;
      const entity = parsed.data;
      const own = entity.uid ?? entity.id;
      const prefix = refPrefix[collection];
      const ref = entity.ref ?? (prefix && own !== undefined && own !== null ? `${prefix}:${own}` : undefined);
      if (ref) index.set(ref, { entity, raw });
    }
  }
  return index;
};

const authorName = (ref: string | null | undefined, entities: EntityIndex): string | undefined => {
  if (!ref) return undefined;
  const entity = entities.get(ref)?.entity;
  const name = entity?.name ?? ([entity?.first_name, entity?.last_name].filter(Boolean).join(' ') || undefined);
  return name ?? ref;
};

const photoUrl = (entity: Entity | undefined): string | undefined => entity?.pic_max ?? entity?.pic640x480 ?? entity?.standard_url ?? undefined;

export const parseTopic = (value: unknown, groupId: string, sourceId: string, entities: EntityIndex): ParsedTopic => {
  const parsed = topicSchema.safeParse(value);
  if (!parsed.success) {
    const id = (value as { id?: unknown } | null)?.id;
    const detail = zodIssues(parsed.error, value)
      .slice(0, 3)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    return { ok: false, skipped: { reason: 'invalid-topic', detail: `group ${groupId}, topic ${String(id ?? '?')}: ${detail}` }, ...(id === undefined ? {} : { topicId: String(id) }) };
  }
  const topic = parsed.data;
  const texts: string[] = [];
  const links: string[] = [];
  const photos: string[] = [];
  const refs = new Set<string>([topic.author_ref, topic.owner_ref].filter((r): r is string => Boolean(r)));
  for (const media of topic.media) {
    if (media.type === 'text' && media.text) texts.push(media.text.trim());
    if (media.url) links.push(media.url);
    for (const ref of media.photo_refs ?? []) {
      refs.add(ref);
      const url = photoUrl(entities.get(ref)?.entity);
      if (url) photos.push(url);
    }
  }
  const used: Record<string, unknown> = {};
  for (const ref of refs) {
    const found = entities.get(ref);
    if (found) used[ref] = found.raw;
  }
  const author = authorName(topic.author_ref, entities);
  return {
    ok: true,
    topic,
    item: {
      input: {
        id: topic.id,
        text: texts.filter(Boolean).join('\n\n'),
        source: sourceId,
        url: `https://ok.ru/group/${groupId}/topic/${topic.id}`,
        ...(author ? { author } : {}),
        published_at: new Date(topic.created_ms).toISOString(),
      },
      raw: { topic: value, entities: used, groupId, links, photos },
    },
  };
};
