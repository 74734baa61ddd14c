/** Normalises any parseable timestamp to ISO-8601 UTC; null when it is not a valid date. */
export const toUtcIso = (value: string | number | Date): string | null => {
  const date = value instanceof Date ? value : new Date(value);
  const ms = date.getTime();
  return Number.isFinite(ms) ? date.toISOString() : null;
};

export const nowIso = (): string => new Date().toISOString();

export const hoursBetween = (a: string, b: string): number => Math.abs(Date.parse(a) - Date.parse(b)) / 3_600_000;
