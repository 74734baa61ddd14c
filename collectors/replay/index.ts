/**
 * Recorded sources bundled with Radar: a `sources.json` manifest plus one JSON Lines file per source,
 * each line a post in the public input shape. Used by `radar replay`, the offline demo.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, type Issue } from '../../core/errors.js';
import { parsePostInput, sourceIdPattern } from '../../core/post-input.js';
import type { PostInput, Source } from '../../core/types.js';
import { zodIssues } from '../../core/zod-issues.js';

const manifestSchema = z
  .array(
    z.object({
      id: z.string().regex(sourceIdPattern),
      platform: z.enum(['vk', 'ok', 'telegram', 'rss', 'html', 'api', 'file']),
      name: z.string().min(1),
      url: z.url().nullish().transform((v) => v ?? null),
    }),
  )
  .min(1);

export interface RecordedItem {
  readonly input: PostInput;
  readonly raw: unknown;
}

export interface RecordedSource {
  readonly source: Source;
  readonly items: readonly RecordedItem[];
  /** Lines that could not be used, with the reason; the rest of the file is kept. */
  readonly rejected: readonly { readonly line: number; readonly issues: readonly Issue[] }[];
}

export const readRecordedSources = async (dir: string): Promise<RecordedSource[]> => {
  const manifestPath = join(dir, 'sources.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read recorded sources manifest ${manifestPath}: ${(error as Error).message}. Set RADAR_DEMO_DIR to a folder with sources.json.`);
  }
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, manifest);
    throw new ConfigError(`Invalid ${manifestPath}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  const out: RecordedSource[] = [];
  for (const source of parsed.data) {
    const file = join(dir, `${source.id}.jsonl`);
    const text = await readFile(file, 'utf8');
    const items: RecordedItem[] = [];
    const rejected: { line: number; issues: Issue[] }[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        rejected.push({ line: i + 1, issues: [{ path: '(root)', message: `invalid JSON: ${(error as Error).message}` }] });
        return;
      }
      const result = parsePostInput(raw);
      if (result.ok) items.push({ input: { ...result.value, source: source.id }, raw });
      else rejected.push({ line: i + 1, issues: result.issues });
    });
    out.push({ source, items, rejected });
  }
  return out;
};
