/** The `radar` command line. Output for people goes to stdout; logs are JSON lines on stderr. */
import { createReadStream, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { loadConfig, type RadarConfig } from '../core/config.js';
import { ConfigError, isRadarError } from '../core/errors.js';
import { createLogger, type LogLevel } from '../core/logger.js';
import { analyzeStream, createAnalyzer } from '../pipeline/analyze.js';
import { replay } from '../pipeline/replay.js';
import { createRuntime, createToolkit, disposeToolkit, type RuntimeOptions, warmUpToolkit } from '../pipeline/runtime.js';
import { loadSourcesConfig, type SourcesConfig } from '../collectors/config.js';
import { CollectRunner } from '../pipeline/collect.js';
import { buildSources, withSourceAreas } from '../pipeline/sources.js';
import { registerEsCommands } from './es.js';
import { registerModelCommands } from './models.js';
import { startServer } from './serve.js';
import { print } from './print.js';

const sourcesOf = (config: RadarConfig, path?: string): SourcesConfig | null => {
  const file = path ?? config.sources;
  return file ? loadSourcesConfig(file) : null;
};

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const runtimeFor = (config: RadarConfig, level?: LogLevel, options: RuntimeOptions = {}) => createRuntime(config, createLogger(level ?? config.logLevel), options);


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
      const logger = createLogger(process.env.RADAR_LOG_LEVEL ? config.logLevel : 'warn');
      const nlp = createToolkit(config);
      // A transformer model that cannot run stops here, before any line is read.
      await warmUpToolkit(nlp);
      const analyzer = createAnalyzer({ config, nlp, logger });
      const input = options.input ? createReadStream(options.input) : process.stdin;
      const summary = await analyzeStream(analyzer, {
        input,
        output: process.stdout,
        report: (line) => process.stderr.write(`${line}\n`),
      });
      await disposeToolkit(nlp);
      if (summary.malformed + summary.failed > 0) {
        process.stderr.write(`${summary.malformed} malformed line(s), ${summary.failed} failed post(s); ${summary.analyzed} analysed\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('serve')
    .description('Serve the API and process incoming posts in the background')
    .option('--replay', 'first load the bundled recorded sources (the offline demo)')
    .option('--sources <file>', 'sources file to poll on their schedules (default: RADAR_SOURCES)')
    .action(async (options: { replay?: boolean; sources?: string }) => {
      const sources = sourcesOf(loadConfig(), options.sources);
      const config = withSourceAreas(loadConfig(), sources);
      const runtime = runtimeFor(config);
      await warmUpToolkit(runtime.nlp);
      if (options.replay) {
        const summary = await replay(runtime, config.demoDir);
        runtime.logger.info('replay finished', { sources: summary.sources, ...summary.drained });
      }
      const server = await startServer(runtime, version, sources);
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
    .command('collect')
    .description('Poll the configured sources once, store new posts and process them; prints a per-source summary')
    .requiredOption('--once', 'run one pass (scheduled polling runs in `radar serve`)')
    .option('-c, --config <file>', 'sources file, YAML or JSON (default: RADAR_SOURCES)')
    .option('-s, --source <id>', 'only this source')
    .action(async (options: { config?: string; source?: string }) => {
      const sources = sourcesOf(loadConfig(), options.config);
      if (!sources) throw new ConfigError('No sources file: pass --config FILE or set RADAR_SOURCES.');
      const config = withSourceAreas(loadConfig(), sources);
      const runtime = runtimeFor(config);
      try {
        const runnable = buildSources(sources, process.env, runtime.logger).filter((s) => !options.source || s.id === options.source);
        if (options.source && runnable.length === 0) {
          throw new ConfigError(`Unknown source "${options.source}"; configured: ${sources.sources.map((s) => s.id).join(', ')}`);
        }
        const runner = new CollectRunner({ store: runtime.store, logger: runtime.logger, onStored: () => undefined });
        // An operator's pass tries parked sources too: that is how one checks a fixed config.
        const results = await runner.runAll(runnable, { force: true });
        for (const r of results) {
          const counts = `${r.collected} collected, ${r.stored} new, ${r.duplicates} already stored, ${r.skipped} skipped`;
          if (r.status === 'ok') print(`${r.sourceId} (${r.type}): ok, ${counts}`);
          else if (r.status === 'not-run') print(`${r.sourceId} (${r.type}): not run, ${r.reason ?? ''}`);
          else print(`${r.sourceId} (${r.type}): FAILED ${r.error?.code}: ${r.error?.message} (${r.error?.disposition})`);
        }
        const drained = await runtime.processor.drain();
        print(`processed ${drained.processed} post(s), ${drained.failed} failed`);
        if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });

  program
    .command('export')
    .description('Export stored data')
    .command('posts')
    .description('Dump stored raw posts as JSON Lines to stdout')
    .option('-f, --format <format>', 'output format (only jsonl)', 'jsonl')
    .option('-s, --source <id>', 'only posts of this source')
    .action(async (options: { format: string; source?: string }) => {
      if (options.format !== 'jsonl') throw new ConfigError(`Unknown format "${options.format}"; supported: jsonl`);
      const config = loadConfig();
      const runtime = runtimeFor(config, process.env.RADAR_LOG_LEVEL ? config.logLevel : 'warn');
      try {
        let cursor: string | null = null;
        do {
          const page = await runtime.store.exportPosts(1_000, cursor, options.source);
          let out = '';
          for (const p of page.posts) {
            out += `${JSON.stringify({ id: p.externalId, source: p.source, text: p.text, url: p.url, author: p.author, published_at: p.publishedAt, location: p.location, collected_at: p.collectedAt, raw: p.raw })}\n`;
          }
          if (out && !process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
          cursor = page.cursor;
        } while (cursor);
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

  registerModelCommands(program);
  registerEsCommands(program);
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
