/**
 * The model registry: `models/registry.json` lists every trained model with its version (a hash of
 * its bytes), training-data hash and metrics, and which one the service uses (`promoted`).
 */
import { ConfigError } from '../../core/errors.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const cardSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  version: z.string().min(1),
  created: z.string(),
  /** Model file, relative to the models folder. */
  file: z.string(),
  format: z.string(),
  encoder: z.string(),
  dataHash: z.string(),
  seed: z.number().int(),
  examples: z.record(z.string(), z.number()),
  metrics: z.record(z.string(), z.number()),
});

/** A transformer model fetched by `radar models pull`: where it came from and what was verified. */
const encoderCardSchema = z.object({
  /** Hub id, e.g. `intfloat/multilingual-e5-small`. */
  id: z.string().min(1),
  /** The revision asked for and the commit it resolved to. */
  revision: z.string().min(1),
  sha: z.string().nullable(),
  /** Model directory, relative to the models folder: `RADAR_ENCODER=transformer:<dir>`. */
  dir: z.string().min(1),
  task: z.enum(['feature-extraction', 'token-classification']),
  quantized: z.boolean(),
  /** sha256 of the files the model runs on (`hashModelDir`): the encoder's identity. */
  hash: z.string(),
  pulled: z.string(),
  files: z.array(z.object({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string() })),
});

const registrySchema = z.object({
  promoted: z.string().nullable(),
  /** Previously promoted refs, most recent last, for `rollback`. */
  history: z.array(z.string()),
  models: z.array(cardSchema),
  /** Pulled transformer models; absent until the first `radar models pull`. */
  encoders: z.array(encoderCardSchema).optional(),
});

export type ModelCard = z.infer<typeof cardSchema>;
export type EncoderCard = z.infer<typeof encoderCardSchema>;
export type RegistryData = z.infer<typeof registrySchema>;

export const refOf = (card: Pick<ModelCard, 'name' | 'version'>): string => `${card.name}@${card.version}`;

export class ModelRegistry {
  readonly path: string;

  constructor(readonly dir: string) {
    this.path = join(dir, 'registry.json');
  }

  read(): RegistryData {
    if (!existsSync(this.path)) return { promoted: null, history: [], models: [] };
    const parsed = registrySchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
    if (!parsed.success) throw new ConfigError(`Model registry ${this.path} is invalid: ${parsed.error.issues[0]?.message}. Restore it from git or delete it and run \`npm run train\`.`);
    return parsed.data;
  }

  #write(data: RegistryData): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.path, `${JSON.stringify(data, null, 2)}\n`);
  }

  list(): readonly ModelCard[] {
    return this.read().models;
  }

  /** Adds a model; registering the same name and version again keeps the first card. */
  register(card: ModelCard): ModelCard {
    const data = this.read();
    const existing = data.models.find((m) => refOf(m) === refOf(card));
    if (existing) return existing;
    this.#write({ ...data, models: [...data.models, card] });
    return card;
  }

  find(ref: string): ModelCard {
    const models = this.read().models;
    const [name, version] = ref.split('@');
    const matches = models.filter((m) => m.name === name && (!version || m.version === version));
    const card = matches.at(-1);
    if (!card) throw new ConfigError(`No model ${ref} in ${this.path}; known: ${models.map(refOf).join(', ') || 'none'}`);
    return card;
  }

  promote(ref: string): ModelCard {
    const card = this.find(ref);
    const data = this.read();
    const history = data.promoted && data.promoted !== refOf(card) ? [...data.history, data.promoted] : data.history;
    this.#write({ ...data, promoted: refOf(card), history });
    return card;
  }

  rollback(): ModelCard {
    const data = this.read();
    const previous = data.history.at(-1);
    if (!previous) throw new ConfigError(`Nothing to roll back to: ${this.path} has no earlier promoted model.`);
    this.#write({ ...data, promoted: previous, history: data.history.slice(0, -1) });
    return this.find(previous);
  }

  encoders(): readonly EncoderCard[] {
    return this.read().encoders ?? [];
  }

  /** Records a pulled model; pulling into the same directory again replaces its card. */
  registerEncoder(card: EncoderCard): EncoderCard {
    const data = this.read();
    this.#write({ ...data, encoders: [...(data.encoders ?? []).filter((e) => e.dir !== card.dir), card] });
    return card;
  }

  promoted(): ModelCard | null {
    const ref = this.read().promoted;
    return ref ? this.find(ref) : null;
  }

  fileOf(card: ModelCard): string {
    return join(this.dir, card.file);
  }
}
