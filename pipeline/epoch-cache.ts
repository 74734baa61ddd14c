/**
 * Parsed ISO times of incidents' first and last reports. Every candidate check reads them and the
 * same few strings come back report after report, while `Date.parse` costs more than a map lookup.
 */
import type { IsoDateTime } from '../core/types.js';
import type { IncidentCandidate } from '../store/contract.js';
import { memoByKey } from '../core/memo.js';

/** `Date.parse(iso)`, remembered (a long-running service moves on to newer times, and the memo starts over). */
export const epochOf: (iso: IsoDateTime) => number = memoByKey((iso) => Date.parse(iso));

type Times = Pick<IncidentCandidate, 'firstSeen' | 'lastSeen' | 'firstSeenMs' | 'lastSeenMs'>;

/** A candidate's times in epoch milliseconds: the backend's numbers when it has them, else parsed. */
export const firstSeenMsOf = (candidate: Times): number => candidate.firstSeenMs ?? epochOf(candidate.firstSeen);
export const lastSeenMsOf = (candidate: Times): number => candidate.lastSeenMs ?? epochOf(candidate.lastSeen);
