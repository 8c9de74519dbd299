import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../kernel/config.js';

/**
 * A subcommand takes a few flags of its own and passes every other argument to `loadConfig`,
 * so it finds the store the server uses (same --data-dir, --config, USERPOOLD_*) by the
 * server's own rules. Errors name the subcommand.
 */
export interface SplitFlags<F extends string> {
  own: Map<F, string>;
  /** The server options, in their order. */
  rest: string[];
}

/** `--flag value` or `--flag=value`; a switch takes no value (`--follow` means `true`). */
export function splitOwnFlags<F extends string>(command: string, args: readonly string[], flags: readonly F[], switches: readonly F[] = []): SplitFlags<F> {
  const own = new Map<F, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const flag = (arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : '') as F;
    if (!flags.includes(flag)) {
      rest.push(arg);
      continue;
    }
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (switches.includes(flag)) {
      own.set(flag, inline ?? 'true');
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new ConfigError(`${command}: --${flag} needs a value`);
    own.set(flag, value);
  }
  return { own, rest };
}

/** `--limit`: a positive whole number, 50 when not given. */
export function parseLimit(command: string, text = '50'): number {
  const limit = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ConfigError(`${command}: --limit expects a positive whole number`);
  return limit;
}

/** Reading must not create an empty database (and a server key) in a mistyped folder. */
export function assertDatabaseExists(command: string, config: Config): void {
  if (config.databaseUrl === undefined && !existsSync(join(config.dataDir, 'userpoold.sqlite'))) {
    throw new ConfigError(`${command}: no userpoold database in ${config.dataDir}`);
  }
}
