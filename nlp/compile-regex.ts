/**
 * V8 runs a regex through its bytecode interpreter first and compiles it to machine code on the
 * second use; for big patterns (long alternations, `\p{L}` classes in unicode mode) that first
 * interpreted run alone took 100–200 ms each: about a second per process over the fact patterns,
 * a sixth of a 10,000-post `radar analyze`. V8 compiles directly for a subject of 1,000 characters
 * or more, so a big pattern's first use runs it once on such a string: two-byte like Cyrillic text
 * (code is compiled per string encoding), made of a symbol no pattern starts with, so the scan
 * fails at once. Matching is unchanged; only the order of V8's work is.
 */
const COMPILE_SUBJECT = '\u25a1'.repeat(1000);
const compiled = new WeakSet<RegExp>();

export const compileNow = (re: RegExp): void => {
  if (compiled.has(re)) return;
  compiled.add(re);
  const lastIndex = re.lastIndex;
  re.lastIndex = 0;
  re.exec(COMPILE_SUBJECT);
  re.lastIndex = lastIndex;
};
