import type { Deps } from '../../services/deps.js';
import { openMessage } from '../../services/delivery/message-view.js';
import { isLoopback } from '../pipeline/authenticate.js';
import { defineRoute, json, type Route } from './route.js';

const HOW_TO_READ = 'Read queued messages with `userpoold messages` (same --data-dir or --database-url as the server).';

/**
 * GET /_dev/messages[?pool=ID&user=NAME]: the newest queued messages with their codes, for
 * development only. It reveals reset codes by design, so it is served only when `devMessages`
 * is on, to clients on this machine (loopback), never to other origins (no CORS), and never
 * once developer credentials exist: a server that asks signatures of its admin operations must
 * not hand out codes to unsigned requests (security review finding 6). The CLI reads the same
 * messages with access to the data instead.
 */
export function devMessagesRoute(deps: Deps, access: { credentialsExist: () => Promise<boolean> }): Route {
  return defineRoute({
    name: 'dev-messages',
    methods: ['GET'],
    path: '/_dev/messages',
    body: { kind: 'none' },
    cors: false,
    async handle({ query, ctx }) {
      if (!deps.config.devMessages) {
        return json({ message: `The message view is off: start userpoold with --dev-messages (USERPOOLD_DEV_MESSAGES=true) to serve it on loopback. ${HOW_TO_READ}` }, 404);
      }
      if (!isLoopback(ctx.sourceIp)) return json({ message: `The message view is served to clients on this machine (loopback) only. ${HOW_TO_READ}` }, 403);
      if (await access.credentialsExist()) {
        return json({ message: `The message view is off while developer credentials exist: it would hand codes to unsigned requests. ${HOW_TO_READ}` }, 403);
      }
      const rows = await deps.store.listMessages({
        poolId: query.get('pool') ?? undefined,
        username: query.get('user') ?? undefined,
        limit: 100,
      });
      const messages = rows.map((row) => {
        const { id, time, poolId, username, trigger, channel, destination, state, code, clientMetadata } = openMessage(row, deps.secrets);
        return { id, time, pool: poolId, username, trigger, channel, destination, state, code, clientMetadata };
      });
      return json({ messages }, 200, { 'Cache-Control': 'no-store' });
    },
  });
}
