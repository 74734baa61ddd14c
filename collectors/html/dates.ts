/**
 * Dates as Russian news sites write them, to ISO UTC. Feeds use RFC 822 (often with Russian month
 * names or a bare `+0300`), Atom uses ISO 8601, and list pages print whatever the CMS template says:
 * `21.11.2026 14:05`, `21 ноября 2026, 14:05`, `сегодня, 14:05`, `вчера`. A date without a zone is
 * local time in the source's time zone (Moscow for nearly every city site).
 */

export type DateFormat = 'auto' | 'iso' | 'dmy' | 'ru';

export const defaultTimeZone = 'Europe/Moscow';

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** Wall-clock parts of an instant in `timeZone`. */
export const localParts = (instant: number, timeZone: string): LocalParts => {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
};

const offsetMs = (instant: number, timeZone: string): number => {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
};

const validParts = (p: LocalParts): boolean => {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 60) return false;
  // Rejects 31.02 instead of silently rolling it over into March.
  return new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDate() === p.day;
};

/** The instant at which the clocks in `timeZone` show `p`; undefined for impossible dates. */
export const zonedToUtc = (p: LocalParts, timeZone: string): Date | undefined => {
  if (!validParts(p)) return undefined;
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Two rounds settle the offset across a DST change (Russia has none since 2014, the feeds' sources may).
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant);
};

const withOffset = (p: LocalParts, offsetMinutes: number): Date | undefined =>
  validParts(p) ? new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - offsetMinutes * 60_000) : undefined;

const englishMonths = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Genitive ("ноября"), nominative ("ноябрь") and abbreviated ("ноя.") forms share the first three letters,
// except May: "май" / "мая".
const russianMonths = ['янв', 'фев', 'мар', 'апр', 'ма', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];

/** 1-12 for an English or Russian month name or abbreviation. */
export const monthNumber = (word: string): number | undefined => {
  const w = word.toLowerCase().replace(/\.$/, '');
  const en = englishMonths.indexOf(w.slice(0, 3));
  if (en >= 0 && w.length >= 3) return en + 1;
  if (/^ма[йя]$/.test(w)) return 5;
  if (w.startsWith('мар')) return 3;
  const ru = russianMonths.findIndex((stem) => stem.length === 3 && w.startsWith(stem));
  return ru >= 0 ? ru + 1 : undefined;
};

const fullYear = (year: number): number => (year >= 100 ? year : year < 50 ? 2000 + year : 1900 + year);

const namedZones: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, msk: 180, msd: 240,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

/** Minutes east of UTC for `+0300`, `+03:00`, `+3`, `GMT+3`, `MSK`; null when there is no zone; undefined when unreadable. */
const zoneOffset = (zone: string): number | null | undefined => {
  const z = zone.trim().toLowerCase();
  if (z === '') return null;
  const numeric = /^(?:gmt|utc|ut)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return namedZones[z];
};

const isoPattern = /(\d{4})-(\d{2})-(\d{2})(?:[t\s]+(\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?/i;

const parseIso = (value: string, timeZone: string): Date | undefined => {
  const m = isoPattern.exec(value);
  if (!m) return undefined;
  const p: LocalParts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0) };
  const zone = m[7] ? zoneOffset(m[7]) : null;
  if (zone === undefined) return undefined;
  return zone === null ? zonedToUtc(p, timeZone) : withOffset(p, zone);
};

const rfc822Pattern =
  /^(?:[^\d\s,]+\.?,?\s*)?(\d{1,2})[\s-]+([^\s\d.,-]+)\.?,?[\s-]+(\d{2,4})(?:\s*г\.?)?(?:[\s,]+(?:в\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$/i;

/**
 * A feed date (`pubDate`, `published`, `updated`, `dc:date`) to ISO UTC. Accepts RFC 822 with the
 * quirks seen on Russian CMSes: Russian day and month names, no seconds, `+0300` / `GMT+3` / `MSK`,
 * no zone at all; and ISO 8601 with or without a zone.
 */
export const parseFeedDate = (value: string | undefined, timeZone = defaultTimeZone): string | undefined => {
  const v = value?.replace(/\s+/g, ' ').trim();
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return parseIso(v, timeZone)?.toISOString();
  const m = rfc822Pattern.exec(v);
  if (!m) return undefined;
  const month = monthNumber(m[2] ?? '');
  if (month === undefined) return undefined;
  const p: LocalParts = { year: fullYear(Number(m[3])), month, day: Number(m[1]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0) };
  const zone = zoneOffset(m[7] ?? '');
  // An unknown zone name is read as local time rather than losing the date.
  const date = zone === null || zone === undefined ? zonedToUtc(p, timeZone) : withOffset(p, zone);
  return date?.toISOString();
};

export interface PageDateOptions {
  /** The fetch time: what "сегодня" and "2 часа назад" are relative to. */
  readonly now: Date;
  readonly timeZone?: string;
  readonly format?: DateFormat;
}

const timePattern = /(?:^|[^\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])/;

const timeOf = (text: string): { hour: number; minute: number; second: number } => {
  const m = timePattern.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] ?? 0) } : { hour: 0, minute: 0, second: 0 };
};

const dayShift = (now: Date, timeZone: string, days: number): { year: number; month: number; day: number } => {
  const today = localParts(now.getTime(), timeZone);
  const d = new Date(Date.UTC(today.year, today.month - 1, today.day - days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

const relativeUnits: readonly [RegExp, number][] = [
  [/^сек/, 1_000],
  [/^мин/, 60_000],
  [/^час/, 3_600_000],
];

const parseRelative = (text: string, now: Date, timeZone: string): Date | undefined => {
  if (/только что/.test(text)) return now;
  const ago = /(?:(\d+)\s+)?(секунд\S*|сек\.?|минут\S*|мин\.?|час\S*|ч\.)\s+назад/.exec(text);
  if (ago) {
    const unit = relativeUnits.find(([re]) => re.test(ago[2] ?? ''))?.[1] ?? 3_600_000;
    return new Date(now.getTime() - Number(ago[1] ?? 1) * unit);
  }
  const day = /позавчера/.test(text) ? 2 : /вчера/.test(text) ? 1 : /сегодня/.test(text) ? 0 : undefined;
  if (day === undefined) return undefined;
  return zonedToUtc({ ...dayShift(now, timeZone, day), ...timeOf(text) }, timeZone);
};

const parseDmy = (text: string, timeZone: string): Date | undefined => {
  const m = /(?:^|\D)(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?!\d)/.exec(text);
  if (!m) return undefined;
  return zonedToUtc({ year: fullYear(Number(m[3])), month: Number(m[2]), day: Number(m[1]), ...timeOf(text.replace(m[0], ' ')) }, timeZone);
};

const parseRussianText = (text: string, now: Date, timeZone: string): Date | undefined => {
  const m = /(?:^|[^\d])(\d{1,2})\s+([а-яёa-z]+)\.?(?:,?\s+(\d{4}))?/i.exec(text);
  if (!m) return undefined;
  const month = monthNumber(m[2] ?? '');
  if (month === undefined) return undefined;
  const time = timeOf(text.replace(m[0], ' '));
  if (m[3]) return zonedToUtc({ year: Number(m[3]), month, day: Number(m[1]), ...time }, timeZone);
  // "21 ноября, 14:05" on a list page means the latest such date that is not in the future.
  const year = localParts(now.getTime(), timeZone).year;
  const thisYear = zonedToUtc({ year, month, day: Number(m[1]), ...time }, timeZone);
  if (thisYear && thisYear.getTime() > now.getTime() + 86_400_000) return zonedToUtc({ year: year - 1, month, day: Number(m[1]), ...time }, timeZone);
  return thisYear;
};

/** A date printed on a list or article page to ISO UTC; undefined when it cannot be read. */
export const parsePageDate = (value: string | undefined, options: PageDateOptions): string | undefined => {
  const text = value?.replace(/[\s\u00a0]+/g, ' ').trim().toLowerCase();
  if (!text) return undefined;
  const timeZone = options.timeZone ?? defaultTimeZone;
  const format = options.format ?? 'auto';
  const attempts: (() => Date | undefined)[] = [];
  if (format === 'auto' || format === 'iso') attempts.push(() => parseIso(text, timeZone));
  if (format === 'auto' || format === 'ru') attempts.push(() => parseRelative(text, options.now, timeZone));
  if (format === 'auto' || format === 'dmy') attempts.push(() => parseDmy(text, timeZone));
  if (format === 'auto' || format === 'ru') attempts.push(() => parseRussianText(text, options.now, timeZone));
  // RFC 822 in a page (`<meta name="pubdate">`) is rare but cheap to try last.
  if (format === 'auto') attempts.push(() => {
    const iso = parseFeedDate(text, timeZone);
    return iso ? new Date(iso) : undefined;
  });
  for (const attempt of attempts) {
    const date = attempt();
    if (date && Number.isFinite(date.getTime())) return date.toISOString();
  }
  return undefined;
};
