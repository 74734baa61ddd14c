/** Article URLs as stable ids: absolute, http(s) only, without the fragment and tracking parameters. */

const trackingParams = /^(?:utm_\w+|yclid|gclid|fbclid|_openstat)$/i;

export const normaliseUrl = (href: string | undefined, base: string): string | undefined => {
  const value = href?.trim();
  if (!value || /^(?:javascript|mailto|tel|data):/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (trackingParams.test(key)) url.searchParams.delete(key);
  return url.toString();
};

/**
 * The URL a page was really served from, for resolving its relative links. The base class reports
 * final URLs with the query redacted (`/news/?…`, for token-bearing APIs); where the request was not
 * redirected elsewhere the requested URL is the exact one.
 */
export const pageBase = (requested: string, final: string): string => {
  if (!final.endsWith('?…')) return final;
  const path = final.slice(0, -2);
  const req = new URL(requested);
  return `${req.origin}${req.pathname}` === path ? requested : path;
};
