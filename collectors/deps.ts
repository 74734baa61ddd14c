/** What a collector factory receives besides its own source config. */
import type { Logger } from '../core/logger.js';
import type { HttpSettings } from './base/http.js';
import type { HostQueues } from './base/rate-limits.js';

export interface CollectorDeps {
  readonly http: HttpSettings;
  /** Shared per-host pacing queues. */
  readonly queues: HostQueues;
  /** Where secrets named in the config (e.g. `tokenEnv: VK_TOKEN`) are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
}
