/**
 * HTML to plain text that keeps the reader's line breaks: every block element and `<br>` ends a
 * line, scripts and styles are dropped, runs of spaces (including no-break spaces) collapse.
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';

const blockTags = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul',
]);

const droppedTags = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'head', 'button', 'form']);

const walk = (nodes: readonly AnyNode[], out: string[]): void => {
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'cdata') {
      if ('data' in node) out.push(node.data);
      else walk(node.children, out);
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style' && node.type !== 'root') continue;
    if (!('name' in node)) {
      walk(node.children, out);
      continue;
    }
    const name = node.name.toLowerCase();
    if (droppedTags.has(name)) continue;
    const block = blockTags.has(name);
    if (block) out.push('\n');
    if (name === 'td' || name === 'th') out.push(' ');
    walk(node.children, out);
    if (block) out.push('\n');
  }
};

const tidy = (raw: string): string =>
  raw
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u200b]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');

/** Text of already parsed nodes (a cheerio selection's elements). */
export const nodesToText = (nodes: readonly AnyNode[]): string => {
  const out: string[] = [];
  walk(nodes, out);
  return tidy(out.join(''));
};

/** Text of an HTML fragment, e.g. an RSS `description` after its CDATA or escaping is undone. */
export const htmlToText = (html: string): string => {
  if (!/[<&]/.test(html)) return tidy(html);
  const $ = cheerio.load(html, null, false);
  return nodesToText($.root().toArray());
};
