/** Output for people on stdout; logs go to stderr as JSON lines. */
export const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
