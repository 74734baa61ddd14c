/**
 * Every index Radar keeps in Elasticsearch, and how its names are derived: an index template
 * `<prefix><key>` for `<prefix><key>-v*`, the concrete index `<prefix><key>-v<version>`, and the
 * alias `<prefix><key>` that the store reads and writes. A mapping change bumps the version: `radar
 * es migrate` reindexes into the new index and moves the alias, so readers never see a gap.
 */

export type IndexKey = 'posts' | 'incidents' | 'reports' | 'stories' | 'sources' | 'refutations' | 'flags' | 'decisions' | 'pins' | 'redirects';

export const indexKeys: readonly IndexKey[] = ['posts', 'incidents', 'reports', 'stories', 'sources', 'refutations', 'flags', 'decisions', 'pins', 'redirects'];

/** What `radar reprocess` drops and rebuilds; the others hold collectors' state or people's work and stay. */
export const derivedIndexKeys: readonly IndexKey[] = ['posts', 'incidents', 'reports', 'stories'];

export interface IndexNames {
  /** The alias the store uses. */
  readonly alias: string;
  /** The index template's name (the alias's name; templates and aliases live in separate namespaces). */
  readonly template: string;
  /** Pattern the template applies to. */
  readonly pattern: string;
  /** The concrete index of a mapping version. */
  readonly concrete: (version: number) => string;
  /** The version of a concrete index of this alias, or null when the name is not one of ours. */
  readonly versionOf: (index: string) => number | null;
}

export const indexNames = (prefix: string, key: IndexKey): IndexNames => {
  const alias = `${prefix}${key}`;
  const suffix = new RegExp(`^${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-v(\\d+)$`);
  return {
    alias,
    template: alias,
    pattern: `${alias}-v*`,
    concrete: (version) => `${alias}-v${version}`,
    versionOf: (index) => {
      const match = suffix.exec(index);
      return match ? Number(match[1]) : null;
    },
  };
};

export type AliasMap = Readonly<Record<IndexKey, string>>;

/** The alias of every index, for a prefix. */
export const aliasesFor = (prefix: string): AliasMap =>
  Object.fromEntries(indexKeys.map((key) => [key, indexNames(prefix, key).alias])) as Record<IndexKey, string>;
