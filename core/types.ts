/**
 * Domain model shared by every layer. Times are ISO-8601 strings in UTC (always ending in `Z`),
 * so that both backends and the JSON API carry them without conversion.
 */

export type IsoDateTime = string;

/** Problems that cover a whole area rather than one house (`nlp/area-wide.ts`). */
export const AREA_WIDE_KINDS = ['power', 'water', 'water-quality', 'gas', 'heat', 'smell'] as const;
export type AreaWideKind = (typeof AREA_WIDE_KINDS)[number];

export type SourcePlatform = 'vk' | 'ok' | 'telegram' | 'rss' | 'html' | 'api' | 'file';

export interface Source {
  /** Stable id from the config, e.g. `vk-nn-overheard`. */
  readonly id: string;
  readonly platform: SourcePlatform;
  readonly name: string;
  readonly url: string | null;
}

export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

export interface PostLocation extends GeoPoint {
  readonly address?: string;
}

/** The public input shape shared by `radar analyze`, `POST /api/v1/posts` and the collectors. */
export interface PostInput {
  readonly id: string;
  readonly text: string;
  readonly source?: string;
  readonly url?: string;
  readonly author?: string;
  readonly published_at?: string;
  readonly location?: PostLocation;
}

export type PostStatus = 'pending' | 'processed' | 'failed';

/** A post as stored: the raw payload is kept verbatim next to the fields we derived from it. */
export interface Post {
  /** `${source}:${externalId}`, unique. */
  readonly id: string;
  readonly source: string;
  readonly externalId: string;
  readonly text: string;
  readonly author: string | null;
  readonly url: string | null;
  readonly publishedAt: IsoDateTime | null;
  readonly collectedAt: IsoDateTime;
  readonly location: PostLocation | null;
  readonly raw: unknown;
}

/** Character offsets into the cleaned text of a post (after HTML removal), end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface AddressFact {
  readonly text: string;
  readonly span: Span;
  readonly street?: string;
  readonly house?: string;
  readonly settlement?: string;
  /**
   * The city district the street is in, from the gazetteer's street lists, and that district's
   * city: it holds for a post from that city ("Лескова" in Нижний Новгород is Автозаводский район).
   */
  readonly district?: { readonly name: string; readonly city: string };
  /** A way round or a heading, not the problem's place: "все едут через Сормовское", "в сторону Казанского шоссе". */
  readonly detour?: true;
}

export interface LocationFact {
  readonly text: string;
  readonly span: Span;
  /** Canonical municipality name from the gazetteer, when the mention resolves to one. */
  readonly municipality?: string;
  /** The microdistrict inside it ("Щербинки" in Приокский район), when the mention names one. */
  readonly part?: string;
  /** Where a trip goes or comes from ("автобус на Нижний", "из Арзамаса"), not where the problem is. */
  readonly trip?: true;
  /** Where a cause the post asks about lies ("это тоже из-за аварии в Канавино?"), not where the problem is. */
  readonly cause?: true;
}

export interface OrganizationFact {
  readonly text: string;
  readonly span: Span;
  readonly kind?: string;
}

export interface DateFact {
  readonly text: string;
  readonly span: Span;
  readonly kind: 'date' | 'time' | 'relative' | 'duration';
  /** Resolved calendar date (YYYY-MM-DD) when the mention pins one down. */
  readonly value?: string;
}

export interface PhoneFact {
  readonly text: string;
  readonly span: Span;
  /** E.164, e.g. `+78312123456`. */
  readonly normalized: string;
}

export interface Facts {
  readonly addresses: readonly AddressFact[];
  readonly locations: readonly LocationFact[];
  readonly organizations: readonly OrganizationFact[];
  readonly dates: readonly DateFact[];
  readonly phones: readonly PhoneFact[];
}

export type Urgency = 'low' | 'medium' | 'high';

/** One problem inside a post. A post can hold several. */
export interface Problem {
  readonly index: number;
  readonly text: string;
  readonly span: Span;
  /** Category id from the taxonomy (`housing`, `roads`, ...). */
  readonly category: string;
  readonly confidence: number;
  readonly urgency: Urgency;
  readonly facts: Facts;
  /** Set once the problem is attached to an incident. */
  readonly incidentId?: string;
}

export type RiskLevel = 'low' | 'medium' | 'high';

export interface FakeAssessment {
  readonly score: number;
  readonly level: RiskLevel;
  /** Human-readable reasons in Russian, strongest first. */
  readonly reasons: readonly string[];
}

export type IncidentStatus = 'open' | 'in_progress' | 'resolved' | 'rejected';

export const incidentStatuses: readonly IncidentStatus[] = ['open', 'in_progress', 'resolved', 'rejected'];

/** One real-world problem, reported by one or many posts. */
export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly status: IncidentStatus;
  readonly urgency: Urgency;
  readonly municipality: string | null;
  readonly address: string | null;
  readonly location: GeoPoint | null;
  readonly firstSeen: IsoDateTime;
  readonly lastSeen: IsoDateTime;
  readonly reportCount: number;
  readonly sources: readonly string[];
  readonly facts: Facts;
  readonly fakeRisk: FakeAssessment;
}

/** An official refutation registered by editors: posts repeating `claim` are flagged with it. */
export interface Refutation {
  readonly id: string;
  /** The false claim as it circulates (a typical post's text), used for matching. */
  readonly claim: string;
  /** The refutation itself, e.g. the official statement. */
  readonly text: string | null;
  readonly url: string;
  readonly topic: string | null;
  readonly publishedAt: IsoDateTime | null;
  readonly createdAt: IsoDateTime;
}

export type Platform = 'vk' | 'ok' | 'telegram';

export const platforms: readonly Platform[] = ['vk', 'ok', 'telegram'];

/** Where an editors' flag stands on one platform: flagged, reported, then the platform's decision. */
export type FlagStatus = 'flagged' | 'reported' | 'labelled' | 'removed' | 'rejected';

export const flagStatuses: readonly FlagStatus[] = ['flagged', 'reported', 'labelled', 'removed', 'rejected'];

/** Allowed next statuses: a decision can only follow a report. */
export const flagTransitions: Readonly<Record<FlagStatus, readonly FlagStatus[]>> = {
  flagged: ['reported'],
  reported: ['labelled', 'removed', 'rejected'],
  labelled: ['removed'],
  removed: [],
  rejected: ['reported'],
};

export interface StoryFlag {
  readonly storyId: string;
  readonly platform: Platform;
  readonly status: FlagStatus;
  readonly reason: string;
  readonly refutationId: string | null;
  readonly note: string | null;
  readonly createdAt: IsoDateTime;
  readonly updatedAt: IsoDateTime;
  /** Every status change, oldest first. */
  readonly history: readonly { readonly status: FlagStatus; readonly at: IsoDateTime; readonly note: string | null }[];
}

/** What the pipeline concluded about one post. */
export interface PostAnalysis {
  readonly postId: string;
  readonly cleanText: string;
  /** Stemmed tokens for full-text search. */
  readonly searchTokens: readonly string[];
  readonly isProblem: boolean;
  readonly problems: readonly Problem[];
  readonly facts: Facts;
  readonly storyId: string;
  /** Incident of each problem, in problem order. */
  readonly incidentIds: readonly string[];
  readonly fake: FakeAssessment;
  readonly analyzedAt: IsoDateTime;
}

export const emptyFacts = (): Facts => ({ addresses: [], locations: [], organizations: [], dates: [], phones: [] });
