/** Builds the collector for a configured source. */
import type { SourceConfig } from './config.js';
import type { CollectorDeps } from './deps.js';
import { createHtmlCollector } from './html/index.js';
import { createOkCollector } from './ok/index.js';
import { createRssCollector } from './rss/index.js';
import { createTelegramCollector } from './telegram/index.js';
import type { Collector } from './types.js';
import { createVkCollector } from './vk/index.js';

export const createCollector = (source: SourceConfig, deps: CollectorDeps): Collector => {
  switch (source.type) {
    case 'vk':
      return createVkCollector(source, deps) as Collector;
    case 'ok':
      return createOkCollector(source, deps) as Collector;
    case 'telegram':
      return createTelegramCollector(source, deps) as Collector;
    case 'rss':
      return createRssCollector(source, deps) as Collector;
    case 'html':
      return createHtmlCollector(source, deps) as Collector;
  }
};
