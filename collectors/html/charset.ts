/**
 * encoding-sniffer falls back to windows-1252 (the WHATWG default for Western locales) when a page
 * declares nothing: no BOM, no HTTP charset, no `<meta>`, no XML `encoding`. For an XML feed that is
 * wrong by spec (undeclared XML is UTF-8) and for Russian sites it is never right; it also defeats
 * the base class's cp1251 fallback, because 1252 turns UTF-8 Cyrillic into mojibake rather than
 * replacement characters. Labelling such a body UTF-8 fixes both: real UTF-8 decodes cleanly and
 * undeclared cp1251 fails UTF-8 decoding loudly, so the base class re-decodes it as cp1251.
 */
import { getEncoding } from 'encoding-sniffer';
import type { FetchedBody } from '../base/collector.js';

export const assumeUtf8WhenUndeclared = (fetched: FetchedBody): FetchedBody => {
  if (/charset=/i.test(fetched.contentType)) return fetched;
  const declared = getEncoding(fetched.body, { defaultEncoding: 'utf-8' }) === getEncoding(fetched.body, { defaultEncoding: 'windows-1252' });
  if (declared) return fetched;
  const contentType = fetched.contentType ? `${fetched.contentType}; charset=utf-8` : 'text/plain; charset=utf-8';
  return { ...fetched, contentType };
};
