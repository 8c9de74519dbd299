import type { CountersPort } from '../../ports/counters.js';
import { KyselyContext } from './context.js';

export class KyselyCounters extends KyselyContext implements CountersPort {
  async incrementCounter(key: string, windowStart: number, by = 1): Promise<number> {
    const { rows } = await this.q.incrementCounter(this.db, { key, windowStart, by, sameWindow: windowStart, plus: by, restart: by, window: windowStart });
    const [row] = rows;
    if (row === undefined) throw new Error(`counter ${key} was not written`);
    return Number(row.count);
  }

  async getCounter(key: string, windowStart: number): Promise<number> {
    const [row] = (await this.q.counterByKey(this.db, { key })).rows;
    return row !== undefined && Number(row.window_start) === windowStart ? Number(row.count) : 0;
  }

  async readCounter(key: string): Promise<{ windowStart: number; count: number } | undefined> {
    const [row] = (await this.q.counterByKey(this.db, { key })).rows;
    return row && { windowStart: Number(row.window_start), count: Number(row.count) };
  }

  async setCounter(key: string, windowStart: number, count: number): Promise<void> {
    await this.q.setCounter(this.db, { key, windowStart, count, window: windowStart, value: count });
  }

  async resetCounter(key: string): Promise<void> {
    await this.q.resetCounter(this.db, { key });
  }
}
