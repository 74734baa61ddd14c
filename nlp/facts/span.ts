import type { Span } from '../../core/types.js';

export const inside = (inner: Span, outer: Span): boolean => inner.start >= outer.start && inner.end <= outer.end;

/** Whether two spans share a character. */
export const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** Keeps the earliest, then longest, of overlapping candidates. */
export const dropOverlaps = <T extends { readonly span: Span }>(items: readonly T[]): T[] => {
  const sorted = [...items].sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  const out: T[] = [];
  let end = -1;
  for (const item of sorted) {
    if (item.span.start >= end) {
      out.push(item);
      end = item.span.end;
    }
  }
  return out;
};
