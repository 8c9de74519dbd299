import { sql } from 'kysely';
import type { CountersPort } from '../../ports/counters.js';
import { KyselyContext } from './context.js';

export class KyselyCounters extends KyselyContext implements CountersPort {
  async incrementCounter(key: string, windowStart: number, by = 1): Promise<number> {
    const row = await this.db
      .insertInto('counters')
      .values({ key, window_start: windowStart, count: by })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql<number>`case when counters.window_start = ${windowStart} then counters.count + ${by} else ${by} end`,
          window_start: windowStart,
        }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async getCounter(key: string, windowStart: number): Promise<number> {
    const row = await this.db.selectFrom('counters').selectAll().where('key', '=', key).executeTakeFirst();
    return row !== undefined && Number(row.window_start) === windowStart ? Number(row.count) : 0;
  }

  async readCounter(key: string): Promise<{ windowStart: number; count: number } | undefined> {
    const row = await this.db.selectFrom('counters').selectAll().where('key', '=', key).executeTakeFirst();
    return row && { windowStart: Number(row.window_start), count: Number(row.count) };
  }

  async resetCounter(key: string): Promise<void> {
    await this.db.deleteFrom('counters').where('key', '=', key).execute();
  }
}
