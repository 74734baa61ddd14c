/** Labelled posts for training and evaluation (fixtures/corpus/*.jsonl), validated line by line. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';

export const labelledPostSchema = z
  .object({
    id: z.string().min(1),
    text: z.string(),
    is_problem: z.boolean(),
    problems: z.array(z.object({ text: z.string().min(1), category: z.string().min(1), urgency: z.enum(['low', 'medium', 'high']) })),
  })
  .refine((p) => p.problems.every((problem) => p.text.includes(problem.text)), { message: 'every problems[].text must be a substring of text' })
  .refine((p) => p.is_problem === p.problems.length > 0, { message: 'is_problem must be true exactly when problems is not empty' });

export type LabelledPost = z.infer<typeof labelledPostSchema>;

export interface Corpus {
  readonly posts: readonly LabelledPost[];
  /** sha256 over the files' bytes in name order: what the model was trained on. */
  readonly hash: string;
  readonly files: readonly string[];
}

const filesOf = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(path, f))
    : [path];

export const loadCorpus = (paths: readonly string[]): Corpus => {
  const files = paths.flatMap(filesOf);
  const hash = createHash('sha256');
  const posts: LabelledPost[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const bytes = readFileSync(file);
    hash.update(bytes);
    bytes
      .toString('utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          throw new Error(`${file}:${i + 1}: invalid JSON: ${(error as Error).message}`);
        }
        const parsed = labelledPostSchema.safeParse(value);
        if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ')}`);
        if (seen.has(parsed.data.id)) throw new Error(`${file}:${i + 1}: duplicate id ${parsed.data.id}`);
        seen.add(parsed.data.id);
        posts.push(parsed.data);
      });
  }
  return { posts, hash: hash.digest('hex'), files };
};

/** Deterministic split by id: the same post is always on the same side, whatever the file order. */
export const splitOf = (id: string, testShare = 0.2): 'train' | 'test' => {
  const h = createHash('sha1').update(id).digest().readUInt32BE(0) / 0x1_0000_0000;
  return h < testShare ? 'test' : 'train';
};
