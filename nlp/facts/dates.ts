import type { DateFact } from '../../core/types.js';
import { compileOnFirstUse } from '../compile-regex.js';
import { eachAtWordStart } from './boundary.js';

const MONTHS: Readonly<Record<string, number>> = {
  январ: 1, феврал: 2, март: 3, апрел: 4, ма: 5, мая: 5, июн: 6, июл: 7, август: 8, сентябр: 9, октябр: 10, ноябр: 11, декабр: 12,
};
const MONTH_WORD = '(январ[яье]|феврал[яье]|март[ае]?|апрел[яье]|ма[яей]|июн[яье]|июл[яье]|август[ае]?|сентябр[яье]|октябр[яье]|ноябр[яье]|декабр[яье])';

/** A day of a month: "12 ноября", "12-го ноября". */
const DAY_OF_MONTH = `(\\d{1,2})(?:-?го)?\\s+${MONTH_WORD}`;

const pad = (n: number): string => String(n).padStart(2, '0');

const monthOf = (word: string): number => {
  const w = word.toLowerCase().replaceAll('ё', 'е');
  if (w.startsWith('ма')) return 5;
  for (const [prefix, month] of Object.entries(MONTHS)) if (w.startsWith(prefix)) return month;
  return 0;
};

const yearOf = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const y = Number(raw);
  return raw.length === 2 ? 2000 + y : y;
};

const isoDate = (year: number | undefined, month: number, day: number): string | undefined => {
  if (year === undefined || month < 1 || month > 12 || day < 1) return undefined;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days ? `${year}-${pad(month)}-${pad(day)}` : undefined;
};

interface Rule {
  readonly re: RegExp;
  /**
   * Something every match contains, far cheaper to look for than the rule itself (whose optional
   * leading words let it start anywhere): a text without it skips the rule.
   */
  readonly needs?: RegExp;
  readonly make: (m: RegExpExecArray) => Omit<DateFact, 'text' | 'span'> | null;
  /** Days listed before the match share its month: "3, 10 и 17 марта", "7–9 апреля". */
  readonly listed?: boolean;
}

/** Days listed right before a "17 марта": "3, 10 и " or "7–". */
const LISTED_DAYS = /(?:(?<![\d.,:/])\d{1,2}(?:-?го)?\s*(?:,|и|по|-|–|—)\s*)+$/u;
const LISTED_DAY = /\d{1,2}(?:-?го)?/gu;

/** Date facts for the days listed before a day-and-month match that ends at `at`. */
const listedDays = (text: string, at: number, out: DateFact[]): void => {
  const from = Math.max(0, at - 40);
  const list = LISTED_DAYS.exec(text.slice(from, at));
  if (!list) return;
  const start = from + list.index;
  if (start > 0 && /[\p{L}\d]/u.test(text.charAt(start - 1))) return;
  LISTED_DAY.lastIndex = 0;
  for (let d = LISTED_DAY.exec(list[0]); d !== null; d = LISTED_DAY.exec(list[0])) {
    const day = Number.parseInt(d[0], 10);
    if (day >= 1 && day <= 31) out.push({ kind: 'date', text: d[0], span: { start: start + d.index, end: start + d.index + d[0].length } });
  }
};

const DIGIT = /\d/;

const L = '';
const R = '(?![\\p{L}\\d])';
const DAY_WORDS = 'понедельник(?:а|у)?|вторник(?:а|у)?|сред[уыае]|четверг(?:а|у)?|пятниц[уыае]|суббот[уыае]|воскресень[еяю]';
const ORDINALS = 'втор|трет|четверт|пят|шест|седьм|восьм|девят|десят|который|котор|энн';
const COUNTS = '\\d{1,3}|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|несколько|пару|полтора|полторы|много';
const UNITS = 'дн[ейя]|день|сут(?:ок|ки)|недел[иьюя]|месяц(?:а|ев)?|год(?:а)?|лет|час(?:а|ов)?';

const rules: readonly Rule[] = [
  {
    // ISO: 2026-11-12.
    re: new RegExp(`${L}(\\d{4})-(\\d{2})-(\\d{2})${R}`, 'gu'),
    needs: DIGIT,
    make: (m) => {
      const value = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      return value ? { kind: 'date', value } : null;
    },
  },
  {
    // 12.11.2026, 12/11/26, 12.11 (two-digit month so that "3.5 тонны" is not a date).
    re: new RegExp(`${L}(\\d{1,2})[./](\\d{2})(?:[./](\\d{4}|\\d{2}))?(?![\\d.,/]?\\d)`, 'gu'),
    needs: DIGIT,
    make: (m) => {
      const day = Number(m[1]);
      const month = Number(m[2]);
      if (day < 1 || day > 31 || month < 1 || month > 12) return null;
      const value = isoDate(yearOf(m[3]), month, day);
      return value ? { kind: 'date', value } : { kind: 'date' };
    },
  },
  {
    // 12 ноября, 12-го ноября 2026 г.
    re: new RegExp(`${L}${DAY_OF_MONTH}(?:\\s+(\\d{4})(?:\\s*г(?:ода|\\.)?)?)?${R}`, 'giu'),
    needs: DIGIT,
    make: (m) => {
      const day = Number(m[1]);
      if (day < 1 || day > 31) return null;
      const value = isoDate(yearOf(m[3]), monthOf(m[2] ?? ''), day);
      return value ? { kind: 'date', value } : { kind: 'date' };
    },
    listed: true,
  },
  {
    // A month of a given year: "в марте 2022", "с октября 2023 года", "декабрь 2024".
    re: new RegExp(`${L}(?:(?:с|со|в|во|до|к|на|после)\\s+)?${MONTH_WORD}\\s+(\\d{4})(?:\\s*(?:г\\.|года|году|г(?![\\p{L}\\d])))?${R}`, 'giu'),
    needs: /[а-яё]\s+\d{4}/iu,
    make: () => ({ kind: 'date' }),
  },
  {
    // "до 30 числа", "15-го числа": a day of the current month.
    re: new RegExp(`${L}(?:(?:с|до|к|после|на)\\s+)?(\\d{1,2})(?:-?го)?\\s+числа${R}`, 'giu'),
    needs: /числа/iu,
    make: (m) => (Number(m[1]) >= 1 && Number(m[1]) <= 31 ? { kind: 'date' } : null),
  },
  {
    // с 8:00, до 17.30 is ambiguous with dates, so only the colon form; "в 7 утра", "к 9 часам".
    re: new RegExp(`${L}(?:(?:с|до|в|к|после|около|примерно в|начиная с)\\s+)?([01]?\\d|2[0-3]):([0-5]\\d)${R}`, 'giu'),
    needs: /\d:/,
    make: () => ({ kind: 'time' }),
  },
  {
    re: new RegExp(`${L}(?:(?:с|до|в|к|после|около)\\s+)?(\\d{1,2})\\s*(?:час(?:а|ов|ам)?\\s*)?(утра|вечера|ночи|дня)${R}`, 'giu'),
    needs: /утра|вечера|ночи|дня/iu,
    make: (m) => (Number(m[1]) <= 12 ? { kind: 'time' } : null),
  },
  {
    re: new RegExp(
      `${L}(?:(?:вчера|позавчера|сегодня|завтра)(?:\\s+(?:утром|вечером|ночью|днем|днём))?|на днях|с утра|с вечера|с ночи|ночью|утром|` +
        `(?:с|со|в|во|до|к|с прошлого|с прошлой|в прошлый|в прошлую|в эту|в этот|на прошлой|на этой)\\s+(?:${DAY_WORDS})|` +
        `(?:с|со|на|в)\\s+(?:прошлой|этой|позапрошлой)\\s+недел[иеью]|с прошлого (?:месяца|года)|в прошлом (?:месяце|году)|` +
        `с (?:начала|конца|середины) (?:недели|месяца|года|зимы|осени|лета|весны|${MONTH_WORD})|` +
        `(?:с|до|после|к|на)\\s+(?:нового года|новому году|новый год|рождеств[аоу]|пасх[иуе])|` +
        `(?:с|со|в)\\s+(?:${MONTH_WORD.slice(1, -1)})|(?:с|до|после) \\d{4} года|(?:в|к) \\d{4} году|на \\d{4} год)${R}`,
      'giu',
    ),
    needs: new RegExp(`вчера|сегодня|завтра|на днях|утр|вечер|ноч|${DAY_WORDS}|недел|прошл|начала|конца|середины|${MONTH_WORD.slice(1, -1)}|год|рождеств|пасх`, 'iu'),
    make: () => ({ kind: 'relative' }),
  },
  {
    // "третий день", "уже неделю", "уже месяц", "3 дня", "две недели", "полгода", "больше года", "сутки".
    re: new RegExp(
      `${L}(?:(?:уже|вот уже|целую|целый|целых|почти|больше|более|около|с)\\s+)?(?:` +
        `(?:${ORDINALS})[а-яё]*\\s+(?:день|дня|сутки|недел[юяи]|месяц|год)|` +
        `(?:${COUNTS})\\s+(?:${UNITS})|полгода|полмесяца|полдня|` +
        `(?<=(?:уже|целую|целый|почти|больше|более|вот уже)\\s+)(?:недел[юи]|месяц(?:а)?|год(?:а)?|сутки|зиму|лето|осень|весну)|` +
        `сутки|неделю|месяц)${R}`,
      'giu',
    ),
    needs: /день|дн[ейя]|сут|недел|месяц|год|лет|час|зиму|осень|весну/iu,
    make: () => ({ kind: 'duration' }),
  },
];

const compilePatterns = compileOnFirstUse(rules.flatMap((rule) => (rule.needs ? [rule.needs, rule.re] : [rule.re])));

const DAY_MONTH = new RegExp(`^${DAY_OF_MONTH}`, 'iu');
const DAY_DOT_MONTH = /^(\d{1,2})[./](\d{2})/u;

/**
 * The day and month a date fact's text names ("8 сентября", "12.11"), with or without a year, for
 * callers that know the year from context: a post from September means this September's 8th.
 */
export const dayAndMonth = (text: string): { readonly day: number; readonly month: number } | null => {
  const named = DAY_MONTH.exec(text);
  const dotted = named ? null : DAY_DOT_MONTH.exec(text);
  const day = Number((named ?? dotted)?.[1]);
  const month = named ? monthOf(named[2] ?? '') : Number(dotted?.[2]);
  return day >= 1 && day <= 31 && month >= 1 && month <= 12 ? { day, month } : null;
};

/** Dates, times, relative mentions and durations found in the text, in order, without overlaps. */
export const extractDates = (text: string): DateFact[] => {
  compilePatterns(text);
  const found: DateFact[] = [];
  for (const rule of rules) {
    if (rule.needs && !rule.needs.test(text)) continue;
    eachAtWordStart(rule.re, text, false, (m) => {
      const made = rule.make(m);
      if (!made) return;
      if (rule.listed) listedDays(text, m.index, found);
      found.push({ ...made, text: m[0], span: { start: m.index, end: m.index + m[0].length } });
    });
  }
  return found;
};
