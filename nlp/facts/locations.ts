import type { LocationFact } from '../../core/types.js';
import type { NormalizedDoc } from '../contract.js';
import type { GazetteerIndex } from './gazetteer.js';

/** Municipality mentions resolved through the gazetteer; `municipality` is the canonical name. */
export const extractLocations = (doc: NormalizedDoc, index: GazetteerIndex): LocationFact[] =>
  index.find(doc.clean, doc.tokens).map((hit) => {
    const start = (doc.tokens[hit.start] as { span: { start: number } }).span.start;
    const end = (doc.tokens[hit.end - 1] as { span: { end: number } }).span.end;
    return { text: doc.clean.slice(start, end), span: { start, end }, municipality: hit.municipality.name };
  });
