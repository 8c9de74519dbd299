import type { TestServer } from './server.js';
import { openPayload, type MessagePayload } from '../../src/services/delivery/message-view.js';
import type { OutboxRecord } from '../../src/ports/outbox.js';

export type QueuedMessage = OutboxRecord & { payload: MessagePayload };

/** Messages queued for a user, oldest first, with their sealed payload opened. */
export async function messagesFor(server: TestServer, poolId: string, username: string): Promise<QueuedMessage[]> {
  const rows = await server.app.deps.store.listMessages({ poolId, username, limit: 1000 });
  return rows.map((row) => ({ ...row, payload: openPayload(row, server.app.deps.secrets) }));
}

/** The code of the newest message queued for a user. */
export async function latestCode(server: TestServer, poolId: string, username: string): Promise<string> {
  const messages = await messagesFor(server, poolId, username);
  const code = messages.at(-1)?.payload.code;
  if (code === undefined) throw new Error(`no code queued for ${username}`);
  return code;
}
