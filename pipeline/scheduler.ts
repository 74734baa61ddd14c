/** Polls every enabled source on its own cron schedule; passes of one source never overlap. */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../core/logger.js';
import type { CollectRunner, RunnableSource } from './collect.js';

export interface Scheduler {
  stop(): Promise<void>;
}

export const startScheduler = (runner: CollectRunner, sources: readonly RunnableSource[], logger: Logger): Scheduler => {
  const tasks: ScheduledTask[] = [];
  for (const source of sources) {
    if (!source.enabled) continue;
    const task = cron.schedule(
      source.schedule,
      async () => {
        // The runner records and logs failures itself; nothing may escape into node-cron.
        await runner.run(source).catch((error: unknown) => logger.error('scheduled pass crashed', { sourceId: source.id, error }));
      },
      { name: source.id, noOverlap: true },
    );
    tasks.push(task);
  }
  logger.info('collector schedules started', { sources: tasks.length });
  return {
    stop: async () => {
      for (const task of tasks) await task.stop();
    },
  };
};
