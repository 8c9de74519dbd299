import type { Config } from '../../kernel/config.js';
import { applySeed, type SeedDeps, type SeedSummary } from './apply.js';
import { readSeedFile, seedFromObject, type SeedSource } from './source.js';
import { validateSeed } from './validate.js';

export { SeedError } from './source.js';
export type { SeedSummary } from './apply.js';

/** A seed file's path, or the seed itself as a value (the embedded API). */
export type SeedInput = string | Record<string, unknown>;

export async function readSeed(input: SeedInput): Promise<SeedSource> {
  return typeof input === 'string' ? readSeedFile(input) : seedFromObject(input);
}

/**
 * Reads, validates and applies a seed (docs/seed.md): every entry is checked before the first
 * write, then all are written in one transaction. Throws a SeedError (a ConfigError) naming the
 * file, line and entry of each problem.
 */
export async function applySeedInput(input: SeedInput, deps: SeedDeps & { config: Pick<Config, 'region' | 'accountId'> }): Promise<SeedSummary> {
  const source = await readSeed(input);
  const plan = validateSeed(source, deps.config);
  return applySeed(plan, source, deps);
}
