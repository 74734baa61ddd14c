/**
 * Parsed ISO times of incidents' first and last reports. Every candidate check reads them and the
 * same few strings come back report after report, while `Date.parse` costs more than a map lookup.
 */
import type { IsoDateTime } from '../core/types.js';
import type { IncidentCandidate } from '../store/contract.js';

const epochs = new Map<string, number>();
const EPOCH_CACHE = 100_000;

/** `Date.parse(iso)`, remembered. */
export const epochOf = (iso: IsoDateTime): number => {
  let ms = epochs.get(iso);
  if (ms === undefined) {
    ms = Date.parse(iso);
    // Cleared rather than evicted one by one: a long-running service moves on to newer times.
    if (epochs.size >= EPOCH_CACHE) epochs.clear();
    epochs.set(iso, ms);
  }
  return ms;
};

type Times = Pick<IncidentCandidate, 'firstSeen' | 'lastSeen' | 'firstSeenMs' | 'lastSeenMs'>;

/** A candidate's times in epoch milliseconds: the backend's numbers when it has them, else parsed. */
export const firstSeenMsOf = (candidate: Times): number => candidate.firstSeenMs ?? epochOf(candidate.firstSeen);
export const lastSeenMsOf = (candidate: Times): number => candidate.lastSeenMs ?? epochOf(candidate.lastSeen);
