import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { sql, type Kysely, type RawBuilder, type TableMetadata, type Transaction } from 'kysely';
import type { SecretBox } from '../kernel/secret-box.js';
import type { DialectName } from './dialect-sql.js';
import { migrationNames } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * Every table, in the order a dump lists them, with the columns that order it (its key) and the
 * columns holding values sealed with the server key. A table missing here makes export refuse,
 * so a new table cannot be left behind silently.
 */
interface TableSpec {
  name: keyof Database;
  key: readonly string[];
  sealed: readonly string[];
}

export const TABLES: readonly TableSpec[] = [
  { name: 'user_pools', key: ['id'], sealed: [] },
  { name: 'user_pool_clients', key: ['id'], sealed: ['secret_sealed', 'second_secret_sealed'] },
  { name: 'signing_keys', key: ['pool_id'], sealed: ['private_jwk_sealed'] },
  { name: 'users', key: ['sub'], sealed: ['srp_verifier_sealed'] },
  { name: 'groups', key: ['pool_id', 'name'], sealed: [] },
  { name: 'group_members', key: ['pool_id', 'user_sub', 'group_name'], sealed: [] },
  { name: 'user_mfa', key: ['pool_id', 'user_sub'], sealed: ['totp_secret_sealed', 'pending_totp_secret_sealed'] },
  { name: 'webauthn_credentials', key: ['pool_id', 'credential_id'], sealed: [] },
  { name: 'devices', key: ['device_key'], sealed: ['verifier_sealed'] },
  { name: 'codes', key: ['user_sub', 'purpose'], sealed: [] },
  { name: 'refresh_tokens', key: ['token_hash'], sealed: [] },
  { name: 'outbox', key: ['id'], sealed: ['payload_sealed'] },
  { name: 'counters', key: ['key'], sealed: [] },
  { name: 'single_use', key: ['key'], sealed: [] },
  { name: 'credentials', key: ['access_key_id'], sealed: ['secret_sealed'] },
  { name: 'audit_log', key: ['id'], sealed: [] },
  { name: 'log_delivery', key: ['pool_id'], sealed: [] },
  { name: 'auth_events', key: ['event_id'], sealed: [] },
  { name: 'risk_configurations', key: ['pool_id', 'client_id'], sealed: [] },
  { name: 'provisioned_limits', key: ['category'], sealed: [] },
  { name: 'pool_replicas', key: ['pool_id', 'region_name'], sealed: [] },
  { name: 'import_jobs', key: ['job_id'], sealed: [] },
  { name: 'import_job_chunks', key: ['job_id', 'upload_id', 'seq'], sealed: [] },
  { name: 'import_job_log', key: ['job_id', 'line'], sealed: [] },
  { name: 'oauth_domains', key: ['domain'], sealed: [] },
  { name: 'resource_servers', key: ['pool_id', 'identifier'], sealed: [] },
  { name: 'oauth_grants', key: ['origin_jti'], sealed: [] },
  { name: 'identity_providers', key: ['pool_id', 'name'], sealed: ['secrets_sealed'] },
  { name: 'provider_links', key: ['pool_id', 'provider_name', 'attribute_name', 'attribute_value'], sealed: [] },
  { name: 'branding_items', key: ['pool_id', 'kind', 'item_id'], sealed: [] },
];

const FORMAT = 'userpoold-dump';
const VERSION = 1;
const PAGE_ROWS = 500;
/** Bound parameters per INSERT, under SQLite's limit (32766) and PostgreSQL's (65535). */
const MAX_PARAMS = 30_000;
const KEY_CHECK_PURPOSE = 'userpoold/dump-key-check';

type Row = Record<string, unknown>;

/** A sample sealed value per sealed column, so an import can test its key before writing. */
interface Probe {
  table: string;
  column: string;
  sealed: string;
}

export interface DumpHeader {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** The newest migration of the exporting database: the shape of its rows. */
  schema: string;
  source: DialectName;
  exportedAt: string;
  /** A keyed hash of a fixed text under the server key: equal on both sides iff the keys are. Reveals nothing of the key. */
  keyCheck?: string;
  probes: Probe[];
}

interface RowLine {
  table: string;
  row: Row;
}

interface EndLine {
  end: true;
  rows: Record<string, number>;
}

/** A dump or a target that cannot be used; the message says why and what to do. */
export class TransferError extends Error {}

export type Counts = Record<string, number>;

/** The value an import compares with the dump's keyCheck. */
export function keyCheck(secrets: SecretBox): string {
  return secrets.digest(KEY_CHECK_PURPOSE, 'v1');
}

/**
 * Writes the whole database as JSON lines: a header, one line per row, table by table in key
 * order, and an end line with the counts (so a cut-off dump is noticed). Rows are read a page at
 * a time inside one read transaction, so the dump is a consistent snapshot and memory stays
 * bounded; `write` should wait while its output is full.
 */
export async function exportDump(
  db: Kysely<Database>,
  dialect: DialectName,
  write: (line: string) => Promise<void>,
  options: { keyCheck?: string; now: Date },
): Promise<Counts> {
  await ensureKnownTables(db);
  const read = async (trx: Transaction<Database>): Promise<Counts> => {
    const header: DumpHeader = {
      format: FORMAT,
      version: VERSION,
      schema: MIGRATIONS.at(-1) ?? '',
      source: dialect,
      exportedAt: options.now.toISOString(),
      ...(options.keyCheck === undefined ? {} : { keyCheck: options.keyCheck }),
      probes: await probes(trx),
    };
    await write(JSON.stringify(header));
    const counts: Counts = {};
    for (const spec of TABLES) {
      counts[spec.name] = 0;
      for await (const row of pages(trx, spec)) {
        await write(JSON.stringify({ table: spec.name, row } satisfies RowLine));
        counts[spec.name] = (counts[spec.name] ?? 0) + 1;
      }
    }
    await write(JSON.stringify({ end: true, rows: counts } satisfies EndLine));
    return counts;
  };
  if (dialect === 'postgres') return db.transaction().setIsolationLevel('repeatable read').execute(read);
  return db.transaction().execute(read);
}

async function* pages(db: Kysely<Database>, spec: TableSpec): AsyncGenerator<Row> {
  const keys = sql.join(spec.key.map((k) => sql.ref(k)));
  let after: unknown[] | undefined;
  for (;;) {
    const where = after === undefined ? sql`` : sql`where (${keys}) > (${sql.join(after)})`;
    const { rows } = await sql<Row>`select * from ${sql.table(spec.name)} ${where} order by ${keys} limit ${PAGE_ROWS}`.execute(db);
    yield* rows;
    if (rows.length < PAGE_ROWS) return;
    const last = rows[rows.length - 1] as Row;
    after = spec.key.map((k) => last[k]);
  }
}

async function probes(db: Kysely<Database>): Promise<Probe[]> {
  const found: Probe[] = [];
  for (const spec of TABLES) {
    for (const column of spec.sealed) {
      const { rows } = await sql<{ sealed: string }>`select ${sql.ref(column)} as sealed from ${sql.table(spec.name)} where ${sql.ref(column)} is not null limit 1`.execute(db);
      const sealed = rows[0]?.sealed;
      if (sealed !== undefined) found.push({ table: spec.name, column, sealed });
    }
  }
  return found;
}

async function ensureKnownTables(db: Kysely<Database>): Promise<void> {
  const tables = await ownTables(db);
  const unknown = tables.map((t) => t.name).filter((name) => !TABLES.some((spec) => spec.name === name));
  if (unknown.length > 0) throw new TransferError(`export does not know the table(s) ${unknown.join(', ')}; this userpoold cannot dump this database completely`);
}

/** Known migrations, oldest first. */
const MIGRATIONS = migrationNames;

export interface ImportOptions {
  /** Empty the target first instead of refusing one that holds data. */
  force: boolean;
  /** The target's server key: every sealed value must open with it. */
  secrets: SecretBox;
}

/**
 * Reads a dump and writes it into the target (opened by `open` once the header passed) in one
 * transaction of batched multi-row inserts, so a dump that is cut off, sealed with another key
 * or does not fit leaves the target as it was. The target must be empty unless `force`, which
 * empties it first.
 */
export async function importDump(
  input: Readable,
  options: ImportOptions & { open: () => Promise<{ db: Kysely<Database>; dialect: DialectName }> },
): Promise<Counts> {
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  // The header first: input that is no dump of ours, or sealed with another key, never
  // creates (or migrates) the target.
  checkHeader(await nextJson(lines, 1), options.secrets);
  const { db, dialect } = await options.open();
  const columns = await tableColumns(db);
  return db.transaction().execute(async (trx) => {
    const occupied = await occupiedTables(trx);
    if (occupied.length > 0 && !options.force) {
      throw new TransferError(`the target already holds data (${occupied.join(', ')}); import only into an empty database, or pass --force to replace its contents`);
    }
    if (options.force) for (const spec of [...TABLES].reverse()) await trx.deleteFrom(spec.name).execute();

    const counts: Counts = Object.fromEntries(TABLES.map((spec) => [spec.name, 0]));
    let batch: { spec: TableSpec; rows: Row[]; columns: string[] } | undefined;
    const flush = async () => {
      if (batch === undefined || batch.rows.length === 0) return;
      await insertRows(trx, batch.spec.name, batch.columns, batch.rows);
      counts[batch.spec.name] = (counts[batch.spec.name] ?? 0) + batch.rows.length;
      batch.rows = [];
    };
    let lineNo = 1;
    let end: EndLine | undefined;
    for (;;) {
      const item = await nextJson(lines, ++lineNo);
      if (item === undefined) break;
      if (end !== undefined) throw new TransferError(`dump line ${lineNo}: data after the end line`);
      if (isEnd(item)) {
        end = item;
        continue;
      }
      const { table, row } = rowLine(item, lineNo);
      const spec = TABLES.find((t) => t.name === table);
      const known = columns.get(table);
      if (spec === undefined || known === undefined) throw new TransferError(`dump line ${lineNo}: unknown table "${table}"`);
      const rowColumns = Object.keys(row);
      const extra = rowColumns.find((c) => !known.has(c));
      if (extra !== undefined) throw new TransferError(`dump line ${lineNo}: table ${table} has no column "${extra}" here`);
      for (const column of spec.sealed) {
        const value = row[column];
        if (typeof value === 'string' && !opens(options.secrets, value)) {
          throw new TransferError(`dump line ${lineNo}: ${table}.${column} does not open with this server key; nothing was imported`);
        }
      }
      const sameShape = batch?.spec === spec && batch.columns.length === rowColumns.length && rowColumns.every((c, i) => batch?.columns[i] === c);
      if (!sameShape || (batch?.rows.length ?? 0) * rowColumns.length + rowColumns.length > MAX_PARAMS || (batch?.rows.length ?? 0) >= PAGE_ROWS) {
        await flush();
        batch = { spec, rows: [], columns: rowColumns };
      }
      batch?.rows.push(row);
    }
    await flush();
    if (end === undefined) throw new TransferError('the dump ends early (no end line): it was cut off; nothing was imported');
    for (const spec of TABLES) {
      const expected = end.rows[spec.name] ?? 0;
      if (expected !== counts[spec.name]) throw new TransferError(`the dump lists ${expected} ${spec.name} rows but holds ${counts[spec.name]}; nothing was imported`);
    }
    if (dialect === 'postgres') {
      // Rows kept their ids; the sequence must continue after them.
      await sql`select setval(pg_get_serial_sequence('audit_log', 'id'), coalesce((select max(id) from audit_log), 0) + 1, false)`.execute(trx);
    }
    return counts;
  });
}

function checkHeader(item: unknown, secrets: SecretBox): void {
  const header = item as Partial<DumpHeader> | undefined;
  if (header?.format !== FORMAT) throw new TransferError('the input is not a userpoold dump (made by `userpoold export`)');
  if (header.version !== VERSION) throw new TransferError(`the dump has format version ${String(header.version)}; this userpoold reads version ${VERSION}`);
  if (typeof header.schema !== 'string' || !MIGRATIONS.includes(header.schema)) {
    throw new TransferError(`the dump comes from a newer userpoold (schema ${String(header.schema)}); import it with that version or a later one`);
  }
  const mismatch = 'the dump was sealed with another server key; import with the key of the server that made it (--server-key, --server-key-file or its server.key)';
  if (header.keyCheck !== undefined && header.keyCheck !== keyCheck(secrets)) throw new TransferError(mismatch);
  for (const probe of header.probes ?? []) {
    if (!opens(secrets, probe.sealed)) throw new TransferError(mismatch);
  }
}

function opens(secrets: SecretBox, sealed: string): boolean {
  try {
    secrets.open(sealed);
    return true;
  } catch {
    return false;
  }
}

async function nextJson(lines: AsyncIterator<string>, lineNo: number): Promise<unknown> {
  for (;;) {
    const next = await lines.next();
    if (next.done) return undefined;
    if (next.value.trim() === '') continue;
    try {
      return JSON.parse(next.value) as unknown;
    } catch {
      throw new TransferError(`dump line ${lineNo} is not JSON`);
    }
  }
}

function isEnd(item: unknown): item is EndLine {
  return typeof item === 'object' && item !== null && (item as Partial<EndLine>).end === true && typeof (item as Partial<EndLine>).rows === 'object';
}

function rowLine(item: unknown, lineNo: number): RowLine {
  const line = item as Partial<RowLine> | null;
  if (typeof line?.table !== 'string' || typeof line.row !== 'object' || line.row === null || Array.isArray(line.row)) {
    throw new TransferError(`dump line ${lineNo} is neither a row nor the end line`);
  }
  return line as RowLine;
}

/**
 * The tables the store's queries see. On PostgreSQL the store's introspection lists its own
 * schema only (pg-own-schema-introspector.ts), not the tables other deployments or test runs
 * keep in the same database.
 */
async function ownTables(db: Kysely<Database>): Promise<TableMetadata[]> {
  return db.introspection.getTables();
}

async function tableColumns(db: Kysely<Database>): Promise<Map<string, Set<string>>> {
  const tables = await ownTables(db);
  return new Map(tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
}

async function occupiedTables(db: Kysely<Database>): Promise<string[]> {
  const occupied: string[] = [];
  for (const spec of TABLES) {
    const { rows } = await sql`select 1 from ${sql.table(spec.name)} limit 1`.execute(db);
    if (rows.length > 0) occupied.push(spec.name);
  }
  return occupied;
}

async function insertRows(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  const values: RawBuilder<unknown>[] = rows.map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
  await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(db);
}
