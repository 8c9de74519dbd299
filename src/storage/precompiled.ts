import type { Compilable, CompiledQuery, Kysely, QueryResult, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { heldConnection } from './held-connection.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Runs the query compiled once with this call's values. */
export type Precompiled<P, R> = (db: Db, values: P) => Promise<QueryResult<R>>;

/**
 * A query that Kysely builds and compiles once and then runs with each call's values. Kysely
 * builds and compiles every query anew, which on the hottest lookups cost about as much CPU as
 * SQLite's own work (bench/RESULTS.md, "Findings").
 *
 * The builder is called once, with a placeholder string in place of each value; every value
 * must reach the SQL as exactly one bound parameter (a comparison or a column value), never be
 * computed with or folded into the text. The first call checks that and throws otherwise, so a
 * builder that breaks the rule fails on its first use in the tests. Builders whose shape
 * depends on the values (optional filters, variable IN lists) stay ordinary queries.
 */
export function precompiled<P extends object, R>(build: (db: Db, values: P) => Compilable<R>): Precompiled<P, R> {
  let template: { compiled: CompiledQuery<R>; slots: (string | undefined)[] } | undefined;
  return (db, values) => {
    template ??= compileTemplate(db, values, build);
    const { compiled, slots } = template;
    const parameters = compiled.parameters.map((constant, i) => {
      const key = slots[i];
      return key === undefined ? constant : (values as Record<string, unknown>)[key];
    });
    return execute(db, { ...compiled, parameters });
  };
}

/** Inside a SQLite batch, on the connection the batch holds (held-connection.ts); else through Kysely. */
function execute<R>(db: Db, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  const connection = heldConnection(db);
  return connection !== undefined ? connection.executeQuery<R>(query) : db.executeQuery<R>(query);
}

/** Runs the query compiled once with this call's values, given in the order of the names it was made with. */
export type PrecompiledList<R> = (db: Db, values: readonly unknown[]) => Promise<QueryResult<R>>;

/**
 * As precompiled, for queries with many values (a multi-row INSERT): the values come as an array
 * in the order of `names`, so the caller need not build an object of hundreds of keys per call
 * (a twentieth of an AdminGetUser's CPU went to naming each audit row's values, bench/RESULTS.md).
 */
export function precompiledList<R>(names: readonly string[], build: (db: Db, values: Record<string, unknown>) => Compilable<R>): PrecompiledList<R> {
  let template: { compiled: CompiledQuery<R>; positions: number[] } | undefined;
  return (db, values) => {
    if (template === undefined) {
      const { compiled, slots } = compileTemplate(db, Object.fromEntries(names.map((name) => [name, undefined])), build);
      const index = new Map(names.map((name, i) => [name, i]));
      template = { compiled, positions: slots.map((slot) => (slot === undefined ? -1 : (index.get(slot) as number))) };
    }
    const { compiled, positions } = template;
    const parameters = new Array<unknown>(positions.length);
    for (let i = 0; i < positions.length; i++) {
      const at = positions[i] as number;
      parameters[i] = at < 0 ? compiled.parameters[i] : values[at];
    }
    return execute(db, { ...compiled, parameters });
  };
}

function compileTemplate<P extends object, R>(db: Db, values: P, build: (db: Db, values: P) => Compilable<R>) {
  const marks = new Map<string, string>();
  const placeholders: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    const mark = `\u0000precompiled:${key}\u0000`;
    marks.set(mark, key);
    placeholders[key] = mark;
  }
  const compiled = build(db, placeholders as P).compile();
  const slots = compiled.parameters.map((p) => (typeof p === 'string' ? marks.get(p) : undefined));
  for (const key of marks.values()) {
    const uses = slots.filter((s) => s === key).length;
    if (uses !== 1) throw new Error(`precompiled query: value ${key} is bound ${uses} times, not once: ${compiled.sql}`);
  }
  if (compiled.sql.includes('\u0000')) throw new Error(`precompiled query: a value was written into the SQL text: ${compiled.sql}`);
  return { compiled, slots };
}
