import { startFunctionEndpoint, writeTriggersFile, type FunctionEndpoint } from './lambda-http.js';
import { startServer, type TestServer } from './server.js';
import type { Config } from '../../src/kernel/config.js';
import type { TriggerEvent } from '../../src/services/triggers/trigger-event.js';

/** A trigger event as a test reads it: the shape the server sends (checked field by field in the tests). */
export type SeenEvent = TriggerEvent;

export type Behaviour = (event: SeenEvent) => unknown;

/**
 * One function behind a URL for every trigger of a test's pools, whose behaviour the test sets
 * (`answer`), and which records every event: the test reads what the function received, field
 * by field, and what its answer did.
 */
export interface Switchboard {
  server: TestServer;
  fn: FunctionEndpoint;
  arn: string;
  /** What the function does from now on (default: answer the event unchanged). */
  answer(behaviour: Behaviour): void;
  /** Events received since the last `answer` or `clear`, optionally of one trigger source. */
  events(source?: string): SeenEvent[];
  clear(): void;
  close(): Promise<void>;
}

export const SWITCHBOARD_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:switchboard';

export async function startSwitchboard(config: Partial<Config> = {}, extra: Record<string, unknown> = {}, dialect?: 'sqlite' | 'postgres'): Promise<Switchboard> {
  let behaviour: Behaviour = (event) => event;
  let from = 0;
  const fn = await startFunctionEndpoint((event) => behaviour(event as unknown as SeenEvent));
  const triggersFile = writeTriggersFile({ [SWITCHBOARD_ARN]: { url: fn.url }, ...extra });
  const server = await startServer({ config: { triggersFile, ...config }, ...(dialect && { dialect }) });
  return {
    server,
    fn,
    arn: SWITCHBOARD_ARN,
    answer(next) {
      behaviour = next;
      from = fn.events.length;
    },
    events(source) {
      const seen = fn.events.slice(from) as unknown as SeenEvent[];
      return source === undefined ? seen : seen.filter((e) => e.triggerSource === source);
    },
    clear() {
      from = fn.events.length;
    },
    async close() {
      await server.close();
      await fn.close();
    },
  };
}
