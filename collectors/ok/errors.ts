/**
 * OK error codes (https://apiok.ru/en/dev/errors) mapped to our error codes, each with what the
 * operator should do about it. OK sends them with HTTP 200, so got never sees them as failures.
 */
import { CollectorError, type CollectorErrorCode } from '../base/errors.js';
import type { OkError } from './schema.js';

interface Rule {
  readonly code: CollectorErrorCode;
  readonly hint: string;
}

const AUTH_HINT = 'check OK_APPLICATION_KEY / OK_APPLICATION_SECRET_KEY / OK_ACCESS_TOKEN (or the *Env names in the config) against the app settings at ok.ru/app/setup';

const rules: Readonly<Record<number, Rule>> = {
  100: { code: 'ERR_CONFIG', hint: 'a request parameter is missing or wrong; check the group ids in the config' },
  101: { code: 'ERR_AUTH', hint: `the application key is wrong; ${AUTH_HINT}` },
  102: { code: 'ERR_AUTH', hint: 'the access token has expired; issue a new one (an "eternal" token from the app settings does not expire)' },
  103: { code: 'ERR_AUTH', hint: `the access token is invalid; ${AUTH_HINT}` },
  104: { code: 'ERR_AUTH', hint: `the request signature was rejected, usually a wrong application secret key; ${AUTH_HINT}` },
  105: { code: 'ERR_AUTH', hint: `the request signature was rejected; ${AUTH_HINT}` },
  160: { code: 'ERR_CONFIG', hint: 'the group id is not valid; copy the numeric id from the group page' },
  200: { code: 'ERR_AUTH', hint: 'the application lacks a permission for this method (VALUABLE_ACCESS, GROUP_CONTENT); request it from api-support@ok.ru and re-issue the token' },
  210: { code: 'ERR_AUTH', hint: 'the application is disabled; check its status at ok.ru/app/setup' },
  451: { code: 'ERR_CONFIG', hint: 'OK refuses a session for this method; this is a collector bug, please report it' },
  453: { code: 'ERR_AUTH', hint: 'OK requires a user session for this method; set an access token' },
  // Temporary blocks and call limits: the next scheduled pass tries again.
  7: { code: 'ERR_RATE_LIMITED', hint: 'OK temporarily blocked the action; the next pass retries' },
  8: { code: 'ERR_RATE_LIMITED', hint: 'OK blocked the method for flooding; lower the schedule frequency or the number of groups' },
  9: { code: 'ERR_RATE_LIMITED', hint: 'OK blocked calls from this IP address; the next pass retries, ask api-support@ok.ru if it persists' },
  11: { code: 'ERR_RATE_LIMITED', hint: 'the method call limit is reached; lower the schedule frequency or ask OK for a higher limit' },
  // Not in OK's published table; kept because older clients report 18 as "too many requests".
  18: { code: 'ERR_RATE_LIMITED', hint: 'too many requests; lower the schedule frequency' },
  10: { code: 'ERR_ACCESS_DENIED', hint: 'permission denied: the group is closed to this application or token; use a public group or a token of a member' },
  300: { code: 'ERR_SOURCE_GONE', hint: 'OK found nothing for this group: it was deleted or the id is wrong; remove it from the config' },
  455: { code: 'ERR_ACCESS_DENIED', hint: 'the owner restricts access (FRIEND_RESTRICTION); remove the group or use a token that may see it' },
  456: { code: 'ERR_ACCESS_DENIED', hint: 'the group restricts this operation (GROUP_RESTRICTION); the group is probably closed' },
  457: { code: 'ERR_ACCESS_DENIED', hint: 'unauthorized access (UNAUTHORIZED_RESTRICTION); the group needs a logged-in member token' },
  458: { code: 'ERR_ACCESS_DENIED', hint: 'privacy settings deny access (PRIVACY_RESTRICTION)' },
};

export const okErrorToCollectorError = (error: OkError, where: string, url: string): CollectorError => {
  const rule = rules[error.error_code];
  const said = `OK error ${error.error_code}${error.error_msg ? ` "${error.error_msg}"` : ''}`;
  const hint = rule?.hint ?? 'an OK platform error; the next pass retries, report it if it persists';
  return new CollectorError(rule?.code ?? 'ERR_PLATFORM', `${where}: ${said}: ${hint}`, { url, platformCode: error.error_code });
};
