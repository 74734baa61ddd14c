/**
 * V8 runs a regex through its bytecode interpreter first and compiles it to machine code on the
 * second use; for big patterns (long alternations, `\p{L}` classes in unicode mode) that first
 * interpreted run alone took 100–200 ms each: about a second per process over the fact patterns,
 * a sixth of a 10,000-post `radar analyze`. V8 compiles directly for a subject of 1,000 characters
 * or more, so before a big pattern's first use it runs once on such a string. The compiler tunes
 * its scanning to the letter frequencies of that subject (a string of one symbol made the fact
 * patterns twice as slow afterwards), so the string is the first text itself, repeated: the same
 * letters as what follows, and two-byte like every Cyrillic text (code is compiled per string
 * encoding; a Latin-only first text is left to V8's usual path). Matching is unchanged; only when
 * and how V8 compiles is.
 */
const SUBJECT_LENGTH = 1000;
/** Whether V8 stores `text` two bytes per character (anything beyond Latin-1). */
const twoByte = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return true;
  return false;
};

const compileOn = (re: RegExp, subject: string): void => {
  const lastIndex = re.lastIndex;
  re.lastIndex = 0;
  re.exec(subject);
  re.lastIndex = lastIndex;
};

/**
 * A function to call with each text before running `patterns` on it: the first two-byte text
 * compiles them all (see above), later calls do nothing.
 */
export const compileOnFirstUse = (patterns: readonly RegExp[]): ((text: string) => void) => {
  let done = false;
  return (text) => {
    if (done || text.length === 0 || !twoByte(text)) return;
    done = true;
    const subject = text.length >= SUBJECT_LENGTH ? text : text.repeat(Math.ceil(SUBJECT_LENGTH / text.length));
    for (const re of patterns) compileOn(re, subject);
  };
};
