/** Reads a JSON Lines file validated line by line; an error names the file, the line and the field. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ValidationError } from './errors.js';
import { zodIssues } from './zod-issues.js';

export const readJsonl = <S extends z.ZodType>(path: string, schema: S): z.output<S>[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, n }) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new ValidationError(`${path}:${n}: invalid JSON: ${(error as Error).message}`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new ValidationError(`${path}:${n}: ${zodIssues(parsed.error, value).map((x) => `${x.path}: ${x.message}`).join('; ')}`);
      return parsed.data;
    });
