/** Exponential backoff with ±50 % jitter, so that many writers retrying at once spread out. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Delay before retry number `attempt` (1 for the first retry). */
export const backoffDelay = (attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number => {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random()));
};
