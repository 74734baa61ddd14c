/**
 * OK request signature (https://apiok.ru/en/dev/methods, "Calculating request signature"):
 *
 *   secret = access token given ? md5(access_token + application_secret_key) : application_secret_key
 *   sig    = md5(concat of "key=value" for every parameter except sig and access_token/session_key,
 *                sorted by key, with nothing between pairs) + secret), lower-case hex
 *
 * Values are signed as they are, before URL encoding, as UTF-8.
 */
import { createHash } from 'node:crypto';

const md5 = (value: string): string => createHash('md5').update(value, 'utf8').digest('hex');

/** Never part of the signed string. */
const UNSIGNED = new Set(['sig', 'access_token', 'session_key']);

export const sessionSecret = (accessToken: string, applicationSecretKey: string): string => md5(accessToken + applicationSecretKey).toLowerCase();

export const signatureBase = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params)
    .filter((key) => !UNSIGNED.has(key))
    // OK says "lexicographically"; plain code-unit order, not locale order, is what every client uses.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${params[key]}`)
    .join('');

/** `accessToken` undefined signs an app-only (no session) call with the application secret key. */
export const signParams = (params: Readonly<Record<string, string>>, applicationSecretKey: string, accessToken?: string): string => {
  const secret = accessToken === undefined ? applicationSecretKey : sessionSecret(accessToken, applicationSecretKey);
  return md5(signatureBase(params) + secret).toLowerCase();
};
