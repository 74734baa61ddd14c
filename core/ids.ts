/** A post's id is its source id and its id at the source; source ids cannot hold `:` (see post-input). */
export const postIdOf = (source: string, externalId: string): string => `${source}:${externalId}`;
