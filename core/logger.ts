/**
 * Structured logs: a fixed message plus a metadata object, one JSON line per event on stderr,
 * so that stdout stays free for command output (`radar analyze` writes JSON Lines there).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogMeta = Record<string, unknown>;

export interface Logger {
  debug(msg: string, meta?: LogMeta): void;
  info(msg: string, meta?: LogMeta): void;
  warn(msg: string, meta?: LogMeta): void;
  error(msg: string, meta?: LogMeta): void;
  child(bindings: LogMeta): Logger;
}

export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

const serializeError = (value: unknown): unknown => {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
  }
  return value;
};

export const createLogger = (level: LogLevel = 'info', sink: LogSink = stderrSink, bindings: LogMeta = {}): Logger => {
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, meta: LogMeta = {}): void => {
    if (rank[lvl] < rank[level]) return;
    const fields: LogMeta = {};
    for (const [key, value] of Object.entries(meta)) fields[key] = serializeError(value);
    sink(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...bindings, ...fields }));
  };
  return {
    debug: (msg, meta) => emit('debug', msg, meta),
    info: (msg, meta) => emit('info', msg, meta),
    warn: (msg, meta) => emit('warn', msg, meta),
    error: (msg, meta) => emit('error', msg, meta),
    child: (extra) => createLogger(level, sink, { ...bindings, ...extra }),
  };
};

export const silentLogger: Logger = createLogger('silent');
