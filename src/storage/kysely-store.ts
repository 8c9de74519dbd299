import type { Kysely } from 'kysely';
import type { BatchWriter } from './batch-writer.js';
import { dialectSql, type DialectName } from './dialect-sql.js';
import { hotQueries } from './hot-queries.js';
import { createReadCache, type ReadCache } from './read-cache.js';
import { listenToBatches, writeLockEpoch } from './sqlite-transactions.js';
import type { Database } from './schema.js';
import type { Store, StoreTx } from '../ports/store.js';
import { KyselyAudit } from './kysely/audit.js';
import { KyselyBranding } from './kysely/branding.js';
import { KyselyClients } from './kysely/clients.js';
import { KyselyCodes } from './kysely/codes.js';
import { combinePorts } from './kysely/combine.js';
import type { StoreShared } from './kysely/context.js';
import { KyselyCounters } from './kysely/counters.js';
import { KyselyCredentials } from './kysely/credentials.js';
import { KyselyDevices } from './kysely/devices.js';
import { KyselyGroups } from './kysely/groups.js';
import { KyselyIdentityProviders } from './kysely/identity-providers.js';
import { KyselyImportJobs } from './kysely/import-jobs.js';
import { KyselyLogDelivery } from './kysely/log-delivery.js';
import { KyselyThreatProtection } from './kysely/threat-protection.js';
import { KyselyOAuth } from './kysely/oauth.js';
import { KyselyOutbox } from './kysely/outbox.js';
import { KyselyPools } from './kysely/pools.js';
import { KyselyProvisionedLimits } from './kysely/provisioned-limits.js';
import { KyselyReplicas } from './kysely/replicas.js';
import { KyselyRefreshTokens } from './kysely/refresh-tokens.js';
import { KyselySigningKeys } from './kysely/signing-keys.js';
import { KyselySingleUse } from './kysely/single-use.js';
import { KyselySweep } from './kysely/sweep.js';
import { KyselyUsers } from './kysely/users.js';
import { KyselyUserMfa } from './kysely/user-mfa.js';
import { KyselyWebAuthnCredentials } from './kysely/webauthn-credentials.js';

export type { DialectName } from './dialect-sql.js';

export interface KyselyStoreOptions {
  /**
   * A number that changes whenever another connection commits (SQLite's PRAGMA data_version).
   * With it (and onTableChanged), pools, the existence of credentials, users, their MFA settings
   * and ListUsers pages are kept in memory (read-cache.ts); without it or readCache every
   * request reads them.
   */
  changeCounter?: () => number;
  /**
   * Where the connection reports each statement that changed rows, with its table (SQLite:
   * sqlite-connection.ts), so the cache forgets what this process writes, by any path.
   */
  onTableChanged?: (listener: (table: string | undefined) => void) => void;
  /**
   * A read cache made by the dialect itself (PostgreSQL: pg-change-feed.ts, which learns of
   * other instances' commits by NOTIFY), instead of changeCounter and onTableChanged.
   */
  readCache?: ReadCache;
  /** Runs when the store closes, before the database (PostgreSQL: the listening connection). */
  onClose?: () => Promise<void>;
  /** Runs the import batches' write transactions (SQLite files: a thread with its own connection, sqlite-writer.ts); closed with the store. */
  writer?: BatchWriter;
}

/**
 * Every port of src/ports/, implemented once for both dialects in ./kysely/<port>.ts (a class
 * each, with its row mapping beside it), combined into one class: a store or a transaction is
 * one object whose methods are the ports' own. How a transaction begins and isolates, and row
 * locking, differ between the dialects: dialect-sql.ts holds those differences.
 */
const Repos = combinePorts([
  KyselyPools,
  KyselyClients,
  KyselyUsers,
  KyselyUserMfa,
  KyselyWebAuthnCredentials,
  KyselyDevices,
  KyselyGroups,
  KyselyCodes,
  KyselyCounters,
  KyselyOutbox,
  KyselyRefreshTokens,
  KyselySingleUse,
  KyselySigningKeys,
  KyselyCredentials,
  KyselyAudit,
  KyselyLogDelivery,
  KyselyThreatProtection,
  KyselyImportJobs,
  KyselyOAuth,
  KyselyIdentityProviders,
  KyselyProvisionedLimits,
  KyselyReplicas,
  KyselyBranding,
  KyselySweep,
]);

/** The one Store implementation, over a migrated database. */
export function createKyselyStore(db: Kysely<Database>, dialect: DialectName, options: KyselyStoreOptions = {}): Store {
  // Both or nothing: without the connection's reports, the store's own writes would go unseen.
  const counted = options.changeCounter && options.onTableChanged ? createReadCache(options.changeCounter, dialect === 'sqlite' ? writeLockEpoch : undefined, dialect === 'sqlite') : undefined;
  if (counted) options.onTableChanged?.((table) => counted.changed(table));
  if (counted && dialect === 'sqlite') listenToBatches(db, counted);
  const cache = options.readCache ?? counted;
  const shared: StoreShared = { dialect: dialectSql(dialect), q: hotQueries(), cache, writer: options.writer };
  // A transaction is one new object of the combined class, over the transaction's connection.
  const inTransaction = (trx: Kysely<Database>): StoreTx => new Repos(trx, shared, true);
  const store: Store = Object.assign(new Repos(db, shared, false), {
    transaction: <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => shared.dialect.transaction(db, (trx) => fn(inTransaction(trx))),
    close: async () => {
      await options.onClose?.();
      await options.writer?.close();
      await db.destroy();
    },
  });
  return store;
}
