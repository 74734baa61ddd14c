/** Turns zod issues into messages that say what was expected and what was received. */
import type { z } from 'zod';
import type { Issue } from './errors.js';

export const describeReceived = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
};

export const valueAt = (obj: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), obj);

/** zod's own wording minus its redundant prefixes, e.g. "expected number to be <=90". */
export const cleanZodMessage = (message: string): string =>
  message.replace(/^(Invalid input|Invalid option|Too big|Too small): /, '').replace(/, received \w+$/, '');

export const zodIssues = (error: z.ZodError, input: unknown, prefix = ''): Issue[] =>
  error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { path: path || '(root)', message: `${cleanZodMessage(issue.message)}, got ${describeReceived(valueAt(input, issue.path))}` };
  });
