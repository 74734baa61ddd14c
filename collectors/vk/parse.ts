/**
 * VK posts and comments to `PostInput`: plain text (mentions and entities resolved), author, ISO
 * date, location from `geo`, and a flat list of attachment URLs kept next to the payload in `raw`.
 */
import type { PostLocation } from '../../core/types.js';
import type { CollectedItem } from '../types.js';
import { vkCopySchema, type VkComment, type VkGeo, type VkGroup, type VkPost, type VkProfile } from './schema.js';

export interface Media {
  readonly type: string;
  readonly url: string | null;
  readonly title?: string;
}

export interface RepostOf {
  readonly owner_id: number;
  readonly id: number;
  readonly url: string;
}

/** Names of the people and communities an `extended=1` answer came with. */
export class Actors {
  readonly #names = new Map<number, string>();

  add(profiles: readonly VkProfile[], groups: readonly VkGroup[]): this {
    for (const p of profiles) this.#names.set(p.id, `${p.first_name} ${p.last_name}`.trim());
    for (const g of groups) this.#names.set(-Math.abs(g.id), g.name.trim());
    return this;
  }

  /** `Анна Смирнова (id123)`, `Подслушано (club456)`, or just the ref when the name is unknown. */
  label(id: number | undefined): string | undefined {
    if (id === undefined || id === 0) return undefined;
    const ref = id > 0 ? `id${id}` : `club${-id}`;
    const name = this.#names.get(id);
    return name ? `${name} (${ref})` : ref;
  }
}

const entities: Record<string, string> = { quot: '"', lt: '<', gt: '>', apos: "'", nbsp: '\u00a0', laquo: '«', raquo: '»', mdash: '—', ndash: '–' };

const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    if (name.toLowerCase() === 'amp') return '&';
    return entities[name.toLowerCase()] ?? match;
  });

/** Plain text with line breaks kept: `<br>` (old comments) to newlines, `[id1|Имя]` mentions to the name. */
export const cleanText = (text: string): string =>
  decodeEntities(text.replace(/<br\s*\/?>/gi, '\n'))
    .replace(/\[([^|\]\n]+)\|([^\]\n]*)\]/g, (_m, _ref: string, label: string) => label)
    .replace(/\r\n?/g, '\n')
    .trim();

export const postUrl = (ownerId: number, postId: number): string => `https://vk.com/wall${ownerId}_${postId}`;

export const commentUrl = (ownerId: number, postId: number, commentId: number, threadOf?: number): string =>
  `${postUrl(ownerId, postId)}?reply=${commentId}${threadOf === undefined ? '' : `&thread=${threadOf}`}`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The largest photo: `sizes[]` (v5.x), `orig_photo`, or the old `photo_2560`..`photo_75` keys. */
const largestPhoto = (photo: Record<string, unknown>): string | null => {
  let best: { url: string; area: number } | null = null;
  const consider = (url: unknown, width: unknown, height: unknown, fallbackArea: number): void => {
    const u = str(url);
    if (!u) return;
    const area = (num(width) ?? 0) * (num(height) ?? 0) || fallbackArea;
    if (!best || area > best.area) best = { url: u, area };
  };
  if (Array.isArray(photo.sizes)) for (const size of photo.sizes) if (isRecord(size)) consider(size.url ?? size.src, size.width, size.height, 0);
  if (isRecord(photo.orig_photo)) consider(photo.orig_photo.url, photo.orig_photo.width, photo.orig_photo.height, 0);
  for (const [key, value] of Object.entries(photo)) {
    const m = /^photo_(\d+)$/.exec(key);
    if (m) consider(value, undefined, undefined, Number(m[1]) ** 2);
  }
  return (best as { url: string } | null)?.url ?? null;
};

/** One entry per attachment, whatever its type: unknown types are listed with a null URL. */
export const extractMedia = (attachments: readonly unknown[] | undefined): Media[] => {
  const out: Media[] = [];
  for (const attachment of attachments ?? []) {
    if (!isRecord(attachment) || typeof attachment.type !== 'string') continue;
    const type = attachment.type;
    const body = isRecord(attachment[type]) ? (attachment[type] as Record<string, unknown>) : {};
    const title = str(body.title) ?? str(body.question);
    let url: string | null = null;
    if (type === 'photo') url = largestPhoto(body);
    else if (type === 'link' || type === 'doc') url = str(body.url) ?? null;
    else if (type === 'video' && num(body.owner_id) !== undefined && num(body.id) !== undefined) url = `https://vk.com/video${body.owner_id}_${body.id}`;
    else if (type === 'poll' && num(body.owner_id) !== undefined && num(body.id) !== undefined) url = `https://vk.com/poll${body.owner_id}_${body.id}`;
    out.push(title === undefined ? { type, url } : { type, url, title });
  }
  return out;
};

const validPoint = (lat: number, lon: number): boolean =>
  Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0);

/** `geo.coordinates` ("lat lon") first, else the place's own point; the place title/address as the address. */
export const toLocation = (geo: VkGeo | undefined): PostLocation | undefined => {
  if (!geo) return undefined;
  let point: { lat: number; lon: number } | undefined;
  if (typeof geo.coordinates === 'string') {
    const [lat, lon] = geo.coordinates.trim().split(/[\s,]+/).map(Number);
    if (lat !== undefined && lon !== undefined && validPoint(lat, lon)) point = { lat, lon };
  } else if (geo.coordinates && validPoint(geo.coordinates.latitude, geo.coordinates.longitude)) {
    point = { lat: geo.coordinates.latitude, lon: geo.coordinates.longitude };
  }
  const place = geo.place;
  if (!point && place?.latitude !== undefined && place.longitude !== undefined && validPoint(place.latitude, place.longitude)) {
    point = { lat: place.latitude, lon: place.longitude };
  }
  if (!point) return undefined;
  const parts = [place?.title, place?.address].map((p) => p?.trim()).filter((p): p is string => !!p);
  const address = [...new Set(parts)].join(', ');
  return address ? { ...point, address } : point;
};

const iso = (unix: number): string => new Date(unix * 1000).toISOString();

/** Post id unique across walls, as VK itself writes it in URLs: `-123_456`. */
export const postExternalId = (ownerId: number, postId: number): string => `${ownerId}_${postId}`;

export const commentExternalId = (ownerId: number, postId: number, commentId: number): string => `${postExternalId(ownerId, postId)}_c${commentId}`;

/**
 * A post, with the text of what it reposts appended after its own text (a repost of a complaint
 * is the complaint), and the first geo found on it or on the reposted posts.
 */
export const postItem = (post: VkPost, raw: unknown, sourceId: string, actors: Actors): CollectedItem => {
  const copies = (post.copy_history ?? []).flatMap((c) => {
    const parsed = vkCopySchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
  const texts = [cleanText(post.text), ...copies.map((c) => cleanText(c.text))].filter((t) => t !== '');
  const media = [...extractMedia(post.attachments), ...copies.flatMap((c) => extractMedia(c.attachments))];
  const repostOf: RepostOf[] = copies.map((c) => ({ owner_id: c.owner_id, id: c.id, url: postUrl(c.owner_id, c.id) }));
  const location = toLocation(post.geo) ?? copies.map((c) => toLocation(c.geo)).find((l) => l !== undefined);
  const author = actors.label(post.signer_id ?? post.from_id ?? post.owner_id);
  return {
    input: {
      id: postExternalId(post.owner_id, post.id),
      text: texts.join('\n\n'),
      source: sourceId,
      url: postUrl(post.owner_id, post.id),
      ...(author === undefined ? {} : { author }),
      published_at: iso(post.date),
      ...(location === undefined ? {} : { location }),
    },
    raw: { post: raw, media, repostOf },
  };
};

export const commentItem = (
  comment: VkComment,
  raw: unknown,
  on: { readonly ownerId: number; readonly postId: number; readonly threadOf?: number },
  sourceId: string,
  actors: Actors,
): CollectedItem => {
  const author = actors.label(comment.from_id);
  return {
    input: {
      id: commentExternalId(on.ownerId, on.postId, comment.id),
      text: cleanText(comment.text),
      source: sourceId,
      url: commentUrl(on.ownerId, on.postId, comment.id, on.threadOf),
      ...(author === undefined ? {} : { author }),
      published_at: iso(comment.date),
    },
    raw: { comment: raw, post: { owner_id: on.ownerId, id: on.postId, url: postUrl(on.ownerId, on.postId) }, media: extractMedia(comment.attachments) },
  };
};

/** Great-circle distance in metres. */
export const distanceMetres = (a: { lat: number; lon: number }, b: { lat: number; lon: number }): number => {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
};
