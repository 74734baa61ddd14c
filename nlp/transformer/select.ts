/**
 * Which encoder a toolkit runs with. `RADAR_ENCODER` (`hashing` or `transformer:<dir>`) wins when
 * set; otherwise the promoted model decides: a model trained on embeddings brings its own encoder,
 * a classical one runs without. A model only ever runs on the very encoder files it was trained on.
 */
import { ConfigError } from '../../core/errors.js';
import type { Encoder } from '../contract.js';
import { encoderFix } from './encoder.js';
import { acquireEncoder, type EncoderHandle } from './shared.js';

/** What a promoted model trained on embeddings needs (from its model file). */
export interface EncoderRequirement {
  /** The model that needs it, `name@version`. */
  readonly ref: string;
  readonly name: string;
  readonly spec: string;
  readonly hash: string;
}

export interface EncoderSettings {
  readonly modelsDir: string;
  /** `hashing`, `transformer:<dir>`, or undefined: as the promoted model was trained. */
  readonly encoder?: string;
  readonly encoderBatchSize: number;
  readonly intraOpThreads: number;
}

export const TRANSFORMER_PREFIX = 'transformer:';

/** The model directory of a `transformer:<dir>` setting, null for `hashing`. */
export const encoderSpecOf = (setting: string): string | null => {
  if (setting === 'hashing') return null;
  if (!setting.startsWith(TRANSFORMER_PREFIX) || setting.length === TRANSFORMER_PREFIX.length) {
    throw new ConfigError(`Expected the encoder to be "hashing" or "transformer:<model dir>", got "${setting}"`);
  }
  return setting.slice(TRANSFORMER_PREFIX.length);
};

export const selectEncoder = (settings: EncoderSettings, required: EncoderRequirement | null): EncoderHandle | null => {
  const configured = settings.encoder === undefined ? undefined : encoderSpecOf(settings.encoder);
  const options = { modelsDir: settings.modelsDir, batchSize: settings.encoderBatchSize, intraOpThreads: settings.intraOpThreads };
  if (!required) return configured ? acquireEncoder(configured, options) : null;
  if (configured === null) {
    throw new ConfigError(
      `The promoted model ${required.ref} classifies sentence embeddings of ${required.name}, but RADAR_ENCODER=hashing turns the encoder off. Unset RADAR_ENCODER to use the model's own encoder, or promote a classical model with \`radar models promote <name@version>\` or \`radar models rollback\`.`,
    );
  }
  const spec = configured ?? required.spec;
  const fix = `The promoted model ${required.ref} was trained on embeddings of ${required.name}: restore that directory (\`radar models pull <hub id>\` fetches the same files again), set RADAR_ENCODER=transformer:<dir> where it lives now, or promote another model with \`radar models promote <name@version>\` / \`radar models rollback\`.`;
  const handle = acquireEncoder(spec, { ...options, fix });
  if (handle.hash !== required.hash) {
    const { path, hash } = handle;
    void handle.dispose();
    throw new ConfigError(
      `Encoder ${path} (files hash ${hash.slice(0, 12)}) is not the one the promoted model ${required.ref} was trained on (${required.name}, hash ${required.hash.slice(0, 12)}). Point RADAR_ENCODER at the original model directory, retrain with \`radar train --encoder transformer:${spec}\`, or promote another model.`,
    );
  }
  return handle;
};

/**
 * Loads the encoder and embeds a probe text now, so that a model that cannot run stops start-up with
 * its path and the fix instead of failing every post later.
 */
export const warmUpEncoder = async (encoder: Encoder | null): Promise<void> => {
  if (!encoder) return;
  try {
    const [probe] = await encoder.embed(['Проверка: нет горячей воды'], 'query');
    if (probe?.length !== encoder.dimension) throw new Error(`expected a ${encoder.dimension}-dimensional embedding, got ${probe?.length ?? 'none'}`);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Encoder ${encoder.name} cannot embed a probe text: ${(error as Error).message}. ${encoderFix(encoder.name.slice(TRANSFORMER_PREFIX.length).replace(/@[0-9a-f]+$/, ''))}`);
  }
};
