import { PostgresDialect, PostgresDriver, type CompiledQuery, type DatabaseConnection, type PostgresDialectConfig, type QueryResult, type TransactionSettings } from 'kysely';
import { writtenTable, type TableChanged } from './written-table.js';

/**
 * Kysely's PostgreSQL dialect, telling the read cache (pg-change-feed.ts) of every statement of
 * this process that changed rows, with its table, before the caller continues: this instance's
 * own writes are seen by its next read at once, without waiting for their NOTIFY to come back.
 *
 * Outside a transaction a statement's result comes after its commit, and is reported then.
 * Inside one, each statement is reported as it runs and all of them again once COMMIT returns:
 * a read on another connection between the two loaded the row as it was before the commit, and
 * must not stay in the cache (the second report empties the table and stops such reads from
 * keeping what they loaded). A rolled-back transaction changed nothing; its early reports only
 * cost a reload.
 */
export function reportingPostgresDialect(config: PostgresDialectConfig, onChange: TableChanged): PostgresDialect {
  return new (class extends PostgresDialect {
    override createDriver() {
      return new ReportingDriver(config, onChange);
    }
  })(config);
}

type KyselyPgConnection = Parameters<PostgresDriver['releaseConnection']>[0];

/** Undefined: a table the statement's text does not name (the cache then forgets everything). */
type Table = string | undefined;

class ReportingDriver extends PostgresDriver {
  // Kysely's connection object has private methods its driver calls (release, discard): the
  // driver is given back the original, and the wrapper kept beside it.
  readonly #wrappers = new WeakMap<DatabaseConnection, Reporting>();
  readonly #originals = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    config: PostgresDialectConfig,
    private readonly onChange: TableChanged,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let wrapper = this.#wrappers.get(connection);
    if (wrapper === undefined) {
      wrapper = new Reporting(connection, this.onChange);
      this.#wrappers.set(connection, wrapper);
      this.#originals.set(wrapper, connection);
    }
    return wrapper;
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    (connection as Reporting).written = new Set();
    await super.beginTransaction(connection, settings);
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const reporting = connection as Reporting;
    const written = reporting.written;
    try {
      await super.commitTransaction(connection);
    } finally {
      reporting.written = undefined;
      // Also after a failed COMMIT: whether it took effect may be unknown (a lost connection).
      for (const table of written ?? []) this.onChange(table);
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as Reporting).written = undefined;
    await super.rollbackTransaction(this.#original(connection));
  }

  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await super.releaseConnection(this.#original(connection));
  }

  #original(connection: DatabaseConnection): KyselyPgConnection {
    return (this.#originals.get(connection) ?? connection) as KyselyPgConnection;
  }
}

/** Statements that may change rows. */
const WRITE = /^\s*(insert|update|delete|merge|with|truncate)\b/i;

class Reporting implements DatabaseConnection {
  /** Tables written by the transaction under way, reported again at its commit (undefined: none under way). */
  written: Set<Table> | undefined;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly onChange: TableChanged,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    let result: QueryResult<R>;
    try {
      result = await this.connection.executeQuery<R>(query);
    } catch (err) {
      // A write whose answer was lost with its connection may have committed all the same.
      if (WRITE.test(query.sql)) this.#report(writtenTable(query.sql));
      throw err;
    }
    // numAffectedRows: INSERT, UPDATE, DELETE and MERGE, whether or not they return rows.
    if (result.numAffectedRows !== undefined && result.numAffectedRows > 0n) this.#report(writtenTable(query.sql));
    return result;
  }

  #report(table: Table): void {
    this.written?.add(table);
    this.onChange(table);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    // Streams read whole tables (export); none of ours writes. One that would is told as unknown.
    if (!/^\s*select\b/i.test(query.sql)) this.#report(undefined);
    return this.connection.streamQuery<R>(query, chunkSize);
  }
}
