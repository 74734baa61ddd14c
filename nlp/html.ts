/**
 * HTML to text without a DOM: posts arrive as fragments from VK/OK/Telegram exports and city sites,
 * often truncated mid-tag, so the scanner never throws and never drops text it cannot classify as markup.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', laquo: '«', raquo: '»', bdquo: '„',
  ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', sbquo: '‚', mdash: '—', ndash: '–', minus: '−',
  hellip: '…', shy: '', zwnj: '', zwj: '', copy: '©', reg: '®', trade: '™', deg: '°', times: '×',
  bull: '•', middot: '·', numero: '№', euro: '€', rub: '₽', laquo_: '«', thinsp: ' ', ensp: ' ',
  emsp: ' ', plusmn: '±', frac12: '½', sect: '§', prime: '′', larr: '←', rarr: '→', uarr: '↑', darr: '↓',
};

/** Entities that real-world feeds emit without the closing semicolon. */
const LOOSE_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp']);

const BLOCK_TAGS = new Set([
  'br', 'p', 'div', 'li', 'ul', 'ol', 'tr', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote',
  'section', 'article', 'header', 'footer', 'hr', 'pre', 'dd', 'dt', 'figure', 'figcaption', 'td', 'th',
]);

const RAW_TEXT_TAGS = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'svg']);

const ENTITY_RE = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,9})(;?)/g;
/** Attributes of a tag left unclosed at the end of the fragment. */
const DANGLING_ATTRS_RE = /(?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s"'>]*))?)*\s*\/?/y;

const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

const codePointText = (cp: number): string => {
  // Replacement for NUL, surrogates and out-of-range values keeps the output valid UTF-16.
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(cp);
};

export const decodeEntities = (text: string): string => {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_RE, (whole, body: string, semi: string) => {
    if (body.charCodeAt(0) === 35) {
      const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
      const cp = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      return Number.isFinite(cp) ? codePointText(cp) : whole;
    }
    const name = body.toLowerCase() === body ? body : body.toLowerCase();
    const value = NAMED_ENTITIES[name];
    if (value === undefined) return whole;
    if (semi === '' && !LOOSE_ENTITIES.has(name)) return whole;
    return value;
  });
};

const readTagName = (text: string, from: number): string => {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 45 || c === 58) i++;
    else break;
  }
  return text.slice(from, i).toLowerCase();
};

/** Index of the `>` closing a tag that starts at `from`, honouring quoted attribute values. */
const findTagEnd = (text: string, from: number): number => {
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      // A newline inside an attribute value is almost always a broken tag, not a real value.
      else if (c === 10) return -1;
    } else if (c === 34 || c === 39) {
      // Only quotes that open an attribute value count; apostrophes in text after a stray `<` do not.
      if (text.charCodeAt(i - 1) === 61) quote = c;
    } else if (c === 62) return i;
    else if (c === 60) return -1;
  }
  return -1;
};

/**
 * Removes tags and comments, drops script/style bodies, turns block tags into line breaks and
 * decodes entities. A `<` that does not start a tag (`<3`, `a < b`) is kept as text.
 */
export const stripHtml = (input: string): string => {
  if (!input.includes('<')) return decodeEntities(input);
  let out = '';
  let last = 0;
  let i = input.indexOf('<');
  while (i !== -1 && i < input.length) {
    const next = input.charCodeAt(i + 1);
    if (input.startsWith('<!--', i)) {
      out += input.slice(last, i);
      const end = input.indexOf('-->', i + 4);
      last = end === -1 ? input.length : end + 3;
      i = input.indexOf('<', last);
      continue;
    }
    const closing = next === 47;
    const nameStart = closing ? i + 2 : i + 1;
    if (!isAsciiLetter(input.charCodeAt(nameStart)) && next !== 33 && next !== 63) {
      i = input.indexOf('<', i + 1);
      continue;
    }
    out += input.slice(last, i);
    const name = readTagName(input, nameStart);
    const end = findTagEnd(input, nameStart);
    if (end === -1) {
      // Unclosed tag: drop the tag name and anything shaped like attributes, keep the text after.
      DANGLING_ATTRS_RE.lastIndex = nameStart + name.length;
      DANGLING_ATTRS_RE.test(input);
      last = Math.max(DANGLING_ATTRS_RE.lastIndex, nameStart + name.length);
      out += BLOCK_TAGS.has(name) ? '\n' : ' ';
      i = input.indexOf('<', last);
      continue;
    }
    last = end + 1;
    if (BLOCK_TAGS.has(name)) out += '\n';
    else if (name === 'img') out += ' ';
    if (!closing && RAW_TEXT_TAGS.has(name) && input.charCodeAt(end - 1) !== 47) {
      const lower = input.toLowerCase();
      const close = lower.indexOf(`</${name}`, last);
      out += ' ';
      if (close === -1) {
        last = input.length;
      } else {
        const closeEnd = input.indexOf('>', close);
        last = closeEnd === -1 ? input.length : closeEnd + 1;
      }
    }
    i = input.indexOf('<', last);
  }
  out += input.slice(last);
  return decodeEntities(out);
};
