/** Config fields every source has, whatever its type. Type-specific schemas extend this object. */
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { sourceIdPattern } from '../core/post-input.js';

export const commonSourceSchema = z.object({
  id: z.string().regex(sourceIdPattern, { message: 'id must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit' }),
  name: z.string().min(1).optional(),
  /** node-cron expression (5 or 6 fields), in the server's time zone. */
  schedule: z
    .string()
    .refine((value) => validateCron(value), { message: 'schedule must be a cron expression such as "*/10 * * * *"' })
    .default('*/15 * * * *'),
  enabled: z.boolean().default(true),
  /** The municipality a local source covers (a city's public group): places reports that name none. */
  municipality: z.string().min(1).optional(),
  /** Replaces the platform's base URL: proxies, mirrors, tests. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export type CommonSource = z.infer<typeof commonSourceSchema>;
