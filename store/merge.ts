/** Merging of incident aggregates, shared by the backends so that both give the same answer. */
import type { Facts, FakeAssessment, Urgency } from '../core/types.js';

const MAX_FACTS_PER_KIND = 25;

const mergeList = <T extends { readonly text: string }>(a: readonly T[], b: readonly T[]): T[] => {
  const seen = new Set(a.map((f) => f.text.toLowerCase()));
  const out = [...a];
  for (const fact of b) {
    if (out.length >= MAX_FACTS_PER_KIND) break;
    const key = fact.text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(fact);
  }
  return out;
};

export const mergeFacts = (a: Facts, b: Facts): Facts => ({
  addresses: mergeList(a.addresses, b.addresses),
  locations: mergeList(a.locations, b.locations),
  organizations: mergeList(a.organizations, b.organizations),
  dates: mergeList(a.dates, b.dates),
  phones: mergeList(a.phones, b.phones),
});

const urgencyRank: Record<Urgency, number> = { low: 0, medium: 1, high: 2 };

export const maxUrgency = (a: Urgency, b: Urgency): Urgency => (urgencyRank[b] > urgencyRank[a] ? b : a);

export const noFakeRisk: FakeAssessment = { score: 0, level: 'low', reasons: [] };

export const signatureToBuffer = (signature: Uint32Array): Buffer =>
  Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);

export const bufferToSignature = (buffer: Buffer): Uint32Array => {
  // Copy: the Buffer may share a pool and be unaligned for a Uint32Array view.
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return new Uint32Array(copy.buffer);
};
