/** The `radar` command line. Output for people goes to stdout; logs are JSON lines on stderr. */
import { createReadStream, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { loadConfig, type RadarConfig } from '../core/config.js';
import { isRadarError } from '../core/errors.js';
import { createLogger, type LogLevel } from '../core/logger.js';
import { analyzeStream } from '../pipeline/analyze.js';
import { replay } from '../pipeline/replay.js';
import { createRuntime } from '../pipeline/runtime.js';
import { startServer } from './serve.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const runtimeFor = (config: RadarConfig, level?: LogLevel, dbPath?: string) =>
  createRuntime(config, createLogger(level ?? config.logLevel), dbPath ? { dbPath } : {});

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export const buildProgram = (): Command => {
  const program = new Command()
    .name('radar')
    .description('Radar: citizens\' complaints from social media to classified incidents, for regional situation centres.')
    .version(version)
    .showHelpAfterError()
    .exitOverride();

  program
    .command('analyze')
    .description('Analyse JSON Lines posts ({"id","text",...} per line) and print one JSON line per post')
    .option('-i, --input <file>', 'read posts from a file instead of stdin')
    .action(async (options: { input?: string }) => {
      const config = loadConfig();
      // Line reports go to stderr as plain text; keep logs out of their way unless asked for.
      const runtime = runtimeFor(config, process.env.RADAR_LOG_LEVEL ? config.logLevel : 'warn', ':memory:');
      try {
        const input = options.input ? createReadStream(options.input) : process.stdin;
        const summary = await analyzeStream(runtime, {
          input,
          output: process.stdout,
          report: (line) => process.stderr.write(`${line}\n`),
        });
        if (summary.malformed + summary.failed > 0) {
          process.stderr.write(`${summary.malformed} malformed line(s), ${summary.failed} failed post(s); ${summary.analyzed} analysed\n`);
          process.exitCode = 1;
        }
      } finally {
        await runtime.close();
      }
    });

  program
    .command('serve')
    .description('Serve the API and process incoming posts in the background')
    .option('--replay', 'first load the bundled recorded sources (the offline demo)')
    .action(async (options: { replay?: boolean }) => {
      const config = loadConfig();
      const runtime = runtimeFor(config);
      if (options.replay) {
        const summary = await replay(runtime, config.demoDir);
        runtime.logger.info('replay finished', { sources: summary.sources, ...summary.drained });
      }
      const server = await startServer(runtime, version);
      print(`Radar API on http://${config.host}:${server.port} (try: curl http://${config.host}:${server.port}/api/v1/incidents)`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          runtime.logger.info('shutting down', {});
          server.stop().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  program
    .command('replay')
    .description('Feed the bundled recorded sources through the whole pipeline into the store')
    .option('-d, --dir <dir>', 'folder with sources.json and <source>.jsonl files (default: RADAR_DEMO_DIR or fixtures/demo)')
    .action(async (options: { dir?: string }) => {
      const config = loadConfig();
      const runtime = runtimeFor(config);
      try {
        const summary = await replay(runtime, options.dir ?? config.demoDir);
        for (const s of summary.sources) print(`${s.id}: ${s.stored} new, ${s.duplicates} already stored, ${s.rejected} rejected`);
        const stats = await runtime.store.stats();
        print(`processed ${summary.drained.processed} post(s), ${summary.drained.failed} failed; store holds ${stats.posts} posts, ${stats.incidents} incidents`);
      } finally {
        await runtime.close();
      }
    });

  program
    .command('reprocess')
    .description('Re-run the pipeline over every stored raw post (after a model or rule change)')
    .action(async () => {
      const config = loadConfig();
      const runtime = runtimeFor(config);
      try {
        const reset = await runtime.store.resetAnalyses();
        const drained = await runtime.processor.drain();
        print(`reprocessed ${drained.processed} of ${reset} post(s), ${drained.failed} failed`);
        if (drained.failed > 0) process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });

  return program;
};

export const main = async (argv: readonly string[]): Promise<number> => {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isRadarError(error)) {
      process.stderr.write(`radar: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`radar: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
};
