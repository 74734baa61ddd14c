/**
 * The day an outage report says it will end: "горячую воду вернут не раньше 8 сентября",
 * "возобновление ... переносится на 4 сентября". A planned shutdown that runs late is complained
 * about for days ("8 сентября вечер. горячей НЕТ"), long after a burst main's day; until the
 * promised day the outage is still the one its district means.
 */
import type { DateFact } from '../core/types.js';
import { dayAndMonth } from '../nlp/facts/dates.js';

/** A stored key of an outage report naming the day it is to end: `until:YYYY-MM-DD`. */
export const UNTIL_PREFIX = 'until:';

/** A promise further off than this is a plan ("ремонт теплотрассы до 30 октября"), not an outage's end. */
const MAX_PROMISE_DAYS = 14;
const DAY_MS = 86_400_000;
/** "с 10 августа" is when it began, not when it ends. */
const SINCE = /(?:^|\s)(?:с|со)\s*$/iu;

const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The latest day after the post's own that the text promises, within two weeks, as `YYYY-MM-DD`;
 * null when it names none. A day without a year is the next one on or after the post's date.
 */
export const promisedEnd = (dates: readonly DateFact[], text: string, postedAtMs: number): string | null => {
  const today = Math.floor(postedAtMs / DAY_MS) * DAY_MS;
  let latest: number | null = null;
  for (const fact of dates) {
    if (fact.kind !== 'date' || SINCE.test(text.slice(Math.max(0, fact.span.start - 4), fact.span.start))) continue;
    let day: number;
    if (fact.value !== undefined) day = Date.parse(`${fact.value}T00:00:00Z`);
    else {
      const named = dayAndMonth(fact.text);
      if (named === null) continue;
      const year = new Date(today).getUTCFullYear();
      day = Date.UTC(year, named.month - 1, named.day);
      // "до 10 января" written in December.
      if (day < today - 180 * DAY_MS) day = Date.UTC(year + 1, named.month - 1, named.day);
    }
    if (day <= today || day - today > MAX_PROMISE_DAYS * DAY_MS) continue;
    if (latest === null || day > latest) latest = day;
  }
  return latest === null ? null : iso(latest);
};

/** The end of the promised day (`until:` key) in ms: the outage may still be reported until then. */
export const promisedEndMs = (key: string): number => Date.parse(`${key.slice(UNTIL_PREFIX.length)}T00:00:00Z`) + DAY_MS;
