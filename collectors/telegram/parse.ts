/**
 * Reads a `t.me/s/<channel>` web preview page. Pure functions over the HTML, so the collector only
 * decides what to request and what to keep. Class names are Telegram's widget markup
 * (`tgme_widget_message*`); the readme lists which shapes were confirmed and which were not.
 */
import * as cheerio from 'cheerio';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { MediaKind } from './schema.js';

/** Public links are always built on t.me, whatever `baseUrl` the pages were fetched from. */
export const publicBase = 'https://t.me/';

export type PageEntry =
  /** `message` is the extracted candidate; the collector validates it with `telegramMessageSchema`. */
  | { readonly kind: 'post'; readonly id: number; readonly groupedIds: readonly number[]; readonly message: Record<string, unknown>; readonly html: string }
  /** Channel created, pinned, photo changed: not posts. */
  | { readonly kind: 'service'; readonly id: number; readonly text: string }
  | { readonly kind: 'invalid'; readonly id?: number; readonly reason: string; readonly detail: string; readonly html: string };

export type ParsedPage =
  | {
      readonly kind: 'channel';
      readonly title: string | undefined;
      readonly entries: readonly PageEntry[];
      /** Smallest message id on the page: the `before` of the next (older) page. */
      readonly minId: number | undefined;
      /** The page links to older messages (`a.tme_messages_more[data-before]`). */
      readonly hasMore: boolean;
    }
  /** `t.me/<name>` of something that exists but has no public preview (private channel, group, user, bot). */
  | { readonly kind: 'profile'; readonly title: string | undefined }
  /** `t.me/<name>` of a username nobody holds ("you can contact @name right away"). */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unknown' };

const dataPostPattern = /^([A-Za-z0-9_]{5,32})\/(\d+)$/;
const singlePattern = /\/(\d+)\?single$/;
const backgroundPattern = /background-image\s*:\s*url\(\s*(['"]?)(.*?)\1\s*\)/i;

/** The footer (views, time) is never text; it lands inside the text only when a tag was left open. */
const notText = new Set(['tgme_widget_message', 'tgme_widget_message_wrap', 'tgme_widget_message_footer']);

const classesOf = (node: Element): string[] => (node.attribs['class'] ?? '').split(/\s+/);

/**
 * Plain text with the line breaks Telegram encodes as `<br>`. Stops at a nested message or footer:
 * in broken markup an unclosed tag makes the next message a child of this one, and its text is not ours.
 */
export const textOf = (node: AnyNode): string => {
  const type: string = node.type;
  if (type === 'text') return (node as unknown as { data: string }).data;
  if (type !== 'tag') return '';
  const el = node as Element;
  if (el.name === 'br') return '\n';
  if (classesOf(el).some((c) => notText.has(c))) return '';
  return el.children.map(textOf).join('');
};

const clean = (text: string): string => text.replace(/\u00a0/g, ' ').trim();

/** "401", "1.2K", "12.7K", "1.1M" → a number; anything else → undefined. */
export const parseViews = (raw: string | undefined): number | undefined => {
  const match = /^(\d+(?:[.,]\d+)?)\s*([KM]?)$/i.exec((raw ?? '').replace(/\s/g, ''));
  if (!match) return undefined;
  const value = Number((match[1] as string).replace(',', '.'));
  const unit = (match[2] ?? '').toUpperCase();
  return Math.round(value * (unit === 'M' ? 1_000_000 : unit === 'K' ? 1_000 : 1));
};

/** Resolves hrefs against the public channel page; only http(s) and tg: links are kept. */
const absolute = (href: string | undefined, channel: string): string | undefined => {
  if (!href) return undefined;
  try {
    const url = new URL(href, `${publicBase}s/${channel}`);
    return /^(https?|tg):$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
};

const backgroundUrl = (style: string | undefined, channel: string): string | undefined => {
  const raw = style ? backgroundPattern.exec(style)?.[2] : undefined;
  const url = absolute(raw, channel);
  return url?.startsWith('http') ? url : undefined;
};

const nonEmpty = (text: string): string | undefined => (text === '' ? undefined : text);

interface MessageContext {
  readonly $: CheerioAPI;
  readonly pageTitle: string | undefined;
}

const parseMessage = ({ $, pageTitle }: MessageContext, el: Element): PageEntry => {
  const html = $.html(el);
  const $el = $(el);
  // Only this message's own descendants: broken markup can nest the next message inside this one.
  const own = (selector: string): Cheerio<Element> => $el.find(selector).filter((_, found) => $(found).closest('.tgme_widget_message')[0] === el);

  const post = dataPostPattern.exec($el.attr('data-post') ?? '');
  if (!post) return { kind: 'invalid', reason: 'missing data-post', detail: `message without a usable data-post attribute (${JSON.stringify($el.attr('data-post') ?? null)})`, html };
  const channel = post[1] as string;
  const id = Number(post[2]);

  const textEl = own('.tgme_widget_message_text')
    .filter((_, found) => $(found).closest('.tgme_widget_message_reply').length === 0)
    .first();
  const text = textEl.length > 0 ? clean(textOf(textEl[0] as Element)) : '';

  if ($el.hasClass('service_message') || own('.tgme_widget_message_service').length > 0) return { kind: 'service', id, text };

  const datetime = own('.tgme_widget_message_date time[datetime]').first().attr('datetime') ?? own('.tgme_widget_message_meta time[datetime]').first().attr('datetime');
  if (!datetime) return { kind: 'invalid', id, reason: 'missing date', detail: `message ${channel}/${id} has no <time datetime> in its footer`, html };
  const ms = Date.parse(datetime);
  if (!Number.isFinite(ms)) return { kind: 'invalid', id, reason: 'invalid date', detail: `message ${channel}/${id} has datetime ${JSON.stringify(datetime)}`, html };

  const groupedIds = [
    ...new Set(
      own('a[href]')
        .map((_, a) => Number(singlePattern.exec($(a).attr('href') ?? '')?.[1] ?? NaN))
        .get()
        .filter((n) => Number.isInteger(n) && n > 0 && n !== id),
    ),
  ].sort((a, b) => a - b);

  const links = textEl
    .find('a[href]')
    .filter((_, a) => $(a).closest('.tgme_widget_message')[0] === el)
    .map((_, a) => {
      const href = absolute($(a).attr('href'), channel);
      return href ? { text: clean($(a).text()), href } : undefined;
    })
    .get()
    .filter((link): link is { text: string; href: string } => link !== undefined);

  const media = new Set<MediaKind>();
  const photos = own('.tgme_widget_message_photo_wrap')
    .map((_, wrap) => backgroundUrl($(wrap).attr('style'), channel))
    .get()
    .filter((url): url is string => url !== undefined);
  if (own('.tgme_widget_message_photo_wrap').length > 0) media.add('photo');

  const players = own('.tgme_widget_message_video_player');
  const videoEls = players.length > 0 ? players : own('.tgme_widget_message_video_wrap, video.tgme_widget_message_video');
  const videos = videoEls
    .map((_, player) => {
      const $p = $(player);
      const src = absolute($p.find('video').addBack('video').attr('src'), channel);
      const thumb = backgroundUrl($p.find('.tgme_widget_message_video_thumb').attr('style'), channel);
      return { ...(src?.startsWith('http') ? { url: src } : {}), ...(thumb ? { thumb } : {}) };
    })
    .get();
  if (videoEls.length > 0) media.add('video');
  if (own('.tgme_widget_message_roundvideo_player, .tgme_widget_message_roundvideo').length > 0) media.add('round_video');

  const documents = own('.tgme_widget_message_document')
    .map((_, doc) => {
      const extra = nonEmpty(clean($(doc).find('.tgme_widget_message_document_extra').first().text()));
      return { title: clean($(doc).find('.tgme_widget_message_document_title').first().text()), ...(extra ? { extra } : {}) };
    })
    .get();
  if (documents.length > 0) media.add('document');
  if (own('.tgme_widget_message_voice, .tgme_widget_message_audio, audio').length > 0) media.add('audio');
  if (own('.tgme_widget_message_sticker_wrap, .tgme_widget_message_sticker').length > 0) media.add('sticker');
  if (own('.message_media_not_supported').length > 0) media.add('unsupported');

  const pollEl = own('.tgme_widget_message_poll').first();
  let poll: { question: string; type?: string; options: string[] } | undefined;
  if (pollEl.length > 0) {
    media.add('poll');
    const type = nonEmpty(clean(pollEl.find('.tgme_widget_message_poll_type').first().text()));
    const questionEl = pollEl.find('.tgme_widget_message_poll_question')[0];
    poll = {
      question: questionEl ? clean(textOf(questionEl)) : '',
      ...(type ? { type } : {}),
      options: pollEl
        .find('.tgme_widget_message_poll_option_text')
        .map((_, option) => clean(textOf(option)))
        .get(),
    };
  }

  const signature = nonEmpty(clean(own('.tgme_widget_message_from_author').first().text()));
  const ownerName = nonEmpty(clean(own('.tgme_widget_message_owner_name').first().text()));

  const forwardEl = own('.tgme_widget_message_forwarded_from_name').first();
  const forwardUrl = absolute(forwardEl.attr('href'), channel);
  const forwardedFrom =
    forwardEl.length > 0 ? { name: clean(forwardEl.text()), ...(forwardUrl?.startsWith('http') ? { url: forwardUrl } : {}) } : undefined;

  const previewEl = own('a.tgme_widget_message_link_preview').first();
  const previewPart = (cls: string): string | undefined => nonEmpty(clean(previewEl.find(cls).first().text()));
  const previewUrl = absolute(previewEl.attr('href'), channel);
  const linkPreview =
    previewEl.length > 0 && previewUrl
      ? {
          url: previewUrl,
          ...Object.fromEntries(
            (
              [
                ['siteName', previewPart('.link_preview_site_name')],
                ['title', previewPart('.link_preview_title')],
                ['description', previewPart('.link_preview_description')],
              ] as const
            ).filter(([, v]) => v !== undefined),
          ),
        }
      : undefined;

  const replyTo = absolute(own('a.tgme_widget_message_reply').first().attr('href'), channel);
  const views = parseViews(own('.tgme_widget_message_views').first().text());

  // A poll has no caption of its own: its question and options are the text the NLP should see.
  const pollText = poll ? [poll.question, ...poll.options].filter(Boolean).join('\n') : '';
  const message: Record<string, unknown> = {
    channel,
    id,
    groupedIds,
    url: `${publicBase}${channel}/${id}`,
    date: new Date(ms).toISOString(),
    text: [text, pollText].filter(Boolean).join('\n\n'),
    author: signature ?? ownerName ?? pageTitle ?? channel,
    ...(signature ? { signature } : {}),
    ...(views === undefined ? {} : { views }),
    ...(forwardedFrom ? { forwardedFrom } : {}),
    links,
    ...(linkPreview ? { linkPreview } : {}),
    media: [...media],
    photos,
    videos,
    documents,
    ...(poll ? { poll } : {}),
    ...(replyTo ? { replyTo } : {}),
  };
  return { kind: 'post', id, groupedIds, message, html };
};

export const parsePage = (html: string): ParsedPage => {
  const $ = cheerio.load(html);
  const messages = $('.tgme_widget_message');
  if (messages.length === 0 && $('.tgme_channel_history, .tgme_channel_info').length === 0) {
    const title = nonEmpty(clean($('.tgme_page_title').first().text()));
    // Every existing chat's t.me/<name> page shows a counter or the @username under the title;
    // a free username gets only "you can contact @name right away".
    if ($('.tgme_page_extra').length > 0) return { kind: 'profile', title };
    if ($('.tgme_page, .tgme_username_link').length > 0) return { kind: 'not-found' };
    return { kind: 'unknown' };
  }
  const pageTitle =
    nonEmpty(clean($('.tgme_channel_info_header_title').first().text())) ?? nonEmpty(clean($('meta[property="og:title"]').attr('content') ?? ''));
  const entries = messages.map((_, el) => parseMessage({ $, pageTitle }, el)).get();
  const ids = entries.flatMap((entry) => (entry.id === undefined ? [] : [entry.id]));
  return {
    kind: 'channel',
    title: pageTitle,
    entries,
    minId: ids.length > 0 ? Math.min(...ids) : undefined,
    hasMore: $('a.tme_messages_more[data-before]').length > 0,
  };
};
