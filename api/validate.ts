/** Query and body validation that fails with messages naming the field, what was expected and what came. */
import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { zodIssues } from '../core/zod-issues.js';

export const parseOrThrow = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, value);
  throw new ValidationError(`Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
};

/** The request body as JSON, or a 400 saying why it is not JSON. */
export const jsonBody = async (c: { req: { text(): Promise<string> } }): Promise<unknown> => {
  try {
    return JSON.parse(await c.req.text());
  } catch (error) {
    throw new ValidationError(`Invalid body: expected JSON, ${(error as Error).message}`);
  }
};
