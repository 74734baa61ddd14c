/** Registering an official refutation: its claim is fingerprinted like a post so that copies match it. */
import { ValidationError } from '../core/errors.js';
import type { Refutation } from '../core/types.js';
import type { NlpToolkit } from '../nlp/contract.js';
import type { Store } from '../store/contract.js';
import { makeId } from './dedup.js';

export interface RefutationInput {
  readonly claim: string;
  readonly url: string;
  readonly text?: string | undefined;
  readonly topic?: string | undefined;
  readonly published_at?: string | undefined;
}

/** Fewer words than this cannot be told apart from everyday phrases. */
const MIN_CLAIM_TOKENS = 4;

export const createRefutationRegistrar =
  (store: Store, nlp: NlpToolkit) =>
  async (input: RefutationInput): Promise<Refutation> => {
    const doc = nlp.normalizer.normalize(input.claim);
    if (doc.tokens.length < MIN_CLAIM_TOKENS) {
      throw new ValidationError(`Invalid refutation: claim must have at least ${MIN_CLAIM_TOKENS} words to be matched reliably, got ${doc.tokens.length}`, [
        { path: 'claim', message: `expected at least ${MIN_CLAIM_TOKENS} words, got ${doc.tokens.length}` },
      ]);
    }
    const signature = nlp.fingerprinter.signature(doc);
    return store.addRefutation({
      refutation: {
        id: makeId('ref', `${input.claim}\u0000${input.url}`),
        claim: input.claim,
        text: input.text ?? null,
        url: input.url,
        topic: input.topic ?? null,
        publishedAt: input.published_at ?? null,
        createdAt: new Date().toISOString(),
      },
      signature,
      bandKeys: nlp.fingerprinter.bands(signature),
    });
  };
