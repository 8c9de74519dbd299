import type { GetRoute } from '../server.js';
import type { Deps } from '../../services/deps.js';
import { openPayload } from '../../services/delivery/message-view.js';

/**
 * GET /_dev/messages[?pool=ID&user=NAME]: the newest queued messages with their codes, for
 * development only. Served only when `devMessages` is on; it reveals codes by design.
 */
export function devMessagesRoute(deps: Deps): GetRoute {
  return async (path, _ctx, query) => {
    if (path !== '/_dev/messages' || !deps.config.devMessages) return undefined;
    const rows = await deps.store.listMessages({
      poolId: query?.get('pool') ?? undefined,
      username: query?.get('user') ?? undefined,
      limit: 100,
    });
    const messages = rows.map((row) => {
      const payload = openPayload(row, deps.secrets);
      return {
        id: row.id,
        time: new Date(row.createdAt).toISOString(),
        pool: row.poolId,
        username: row.username,
        trigger: row.trigger,
        channel: row.channel,
        destination: row.destination,
        state: row.state,
        code: payload.code ?? null,
        clientMetadata: payload.clientMetadata ?? null,
      };
    });
    return { status: 200, body: { messages } };
  };
}
