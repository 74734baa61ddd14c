/** Which platform a post's public URL belongs to, for reports to that platform. */
import type { Platform } from './types.js';

const hosts: readonly [RegExp, Platform][] = [
  [/(^|\.)(vk\.com|vk\.ru|vkontakte\.ru)$/, 'vk'],
  [/(^|\.)(ok\.ru|odnoklassniki\.ru)$/, 'ok'],
  [/(^|\.)(t\.me|telegram\.me)$/, 'telegram'],
];

export const platformOfUrl = (url: string | null): Platform | null => {
  if (!url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  return hosts.find(([re]) => re.test(host))?.[1] ?? null;
};
