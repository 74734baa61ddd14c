/** RFC 9457 problem details: every error the API returns has this shape. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, Issue } from '../core/errors.js';

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ErrorCode | 'ERR_INTERNAL' | 'ERR_ROUTE';
  readonly errors?: readonly Issue[];
}

export const problem = (c: Context, status: ContentfulStatusCode, body: Omit<ProblemBody, 'status' | 'type'>): Response =>
  c.body(JSON.stringify({ type: `/problems/${body.code.toLowerCase().replace(/^err_/, '').replaceAll('_', '-')}`, status, ...body }), status, {
    'content-type': 'application/problem+json; charset=utf-8',
  });
