/**
 * VK answers errors with HTTP 200 and `{"error": {"error_code", "error_msg"}}`. Each code becomes a
 * `CollectorError` whose message says what VK said and what the operator can do about it.
 * Codes: https://dev.vk.com/ru/reference/errors
 */
import { CollectorError } from '../base/errors.js';

/** "Too many requests per second": retried inside the pass after a short pause. */
export const VK_TOO_MANY_RPS = 6;

/** Codes that, on wall.getComments, concern one post (deleted, comments closed), not the source. */
export const POST_LEVEL_COMMENT_ERRORS: ReadonlySet<number> = new Set([15, 18, 30, 100, 212]);

export interface VkErrorContext {
  readonly sourceId: string;
  readonly method: string;
  readonly tokenEnv: string;
  readonly code: number;
  readonly message: string;
  /** For code 6: how many times the call was tried. */
  readonly attempts?: number;
}

export const vkError = ({ sourceId, method, tokenEnv, code, message, attempts }: VkErrorContext): CollectorError => {
  const said = `VK ${method} answered error ${code} (${message || 'no message'})`;
  const at = `${sourceId}: ${said}`;
  const details = { platformCode: code };
  switch (code) {
    case 5:
    case 27:
    case 28:
      return new CollectorError('ERR_AUTH', `${at}: the token in ${tokenEnv} was rejected; create a new service token in the VK app settings (dev.vk.com → your app → keys) and put it in ${tokenEnv}`, details);
    case VK_TOO_MANY_RPS:
      return new CollectorError('ERR_RATE_LIMITED', `${at} ${attempts ?? 1} times in a row: too many requests per second for this token; fewer VK sources per token or a sparser schedule will help, the pass is retried later`, details);
    case 29:
      return new CollectorError('ERR_RATE_LIMITED', `${at}: the daily quota of ${method} for this token is spent; the pass is retried later and nothing is lost (the cursor did not move); spread VK sources over several tokens or poll less often`, details);
    case 14:
      return new CollectorError('ERR_CAPTCHA', `${at}: VK wants a captcha, which a service token cannot solve; the source is paused: check that the app is not restricted and re-enable the source later`, details);
    case 15:
    case 30:
      return new CollectorError('ERR_ACCESS_DENIED', `${at}: the wall is closed or private; only public walls can be collected, remove the source or pick a public community`, details);
    case 18:
      return new CollectorError('ERR_SOURCE_GONE', `${at}: the page is deleted or banned; remove the source from the config`, details);
    case 100:
    case 113:
      return new CollectorError('ERR_CONFIG', `${at}: VK does not accept the wall or query in the config; check ownerId (communities are negative) or domain`, details);
    default:
      return new CollectorError('ERR_PLATFORM', `${at}: the pass is retried later; if it persists, look the code up at https://dev.vk.com/ru/reference/errors`, details);
  }
};

/** Error text and URL without the token: both end up in logs and in the store's source health. */
export const redacted = (error: CollectorError, token: string): CollectorError => {
  const scrub = (s: string): string => {
    const out = s.replace(/access_token=[^&\s"']*/g, 'access_token=***');
    return token ? out.split(token).join('***') : out;
  };
  const message = scrub(error.message);
  const url = error.url === undefined ? undefined : scrub(error.url);
  if (message === error.message && url === error.url) return error;
  return new CollectorError(error.code, message, {
    ...(url === undefined ? {} : { url }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.platformCode === undefined ? {} : { platformCode: error.platformCode }),
  });
};
