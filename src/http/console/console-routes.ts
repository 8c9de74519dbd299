import type { Deps } from '../../services/deps.js';
import { ServiceError } from '../../kernel/errors.js';
import { isLoopback } from '../pipeline/authenticate.js';
import { defineRoute, json, redirect, type Route, type RouteResponse } from '../routes/route.js';
import { loadAssets, type AssetName } from './assets.js';
import { createConsoleAccess } from './console-access.js';
import { listAudit, listMessages, readFilters } from './console-data.js';

export const CONSOLE_PATH = '/_console';

/** Whether --console turns the console on for this listening address. */
export function consoleEnabled(config: Deps['config']): boolean {
  return config.console === 'on' || (config.console === 'auto' && isLoopback(config.host));
}

/**
 * The admin console: a static page whose script calls the AWS JSON endpoint like any client
 * (signing with a key the administrator types, when credentials exist), plus two read-only JSON
 * views the API has no operation for: the outbox and the audit log (console-access.ts says who
 * may read them). Never CORS: no other origin may read any of it.
 */
export interface ConsoleHooks {
  isOpen: () => Promise<boolean>;
  /** Writes the audit entries still buffered, so the log shows the calls made just before. */
  flushAudit: () => Promise<void>;
}

export async function consoleRoutes(deps: Deps, access: ConsoleHooks): Promise<Route[]> {
  if (!consoleEnabled(deps.config)) {
    const off = json(
      { message: 'The console is off: it is served by default only when userpoold listens on a loopback address. Start userpoold with --console on to serve it here.' },
      404,
    );
    return [defineRoute({ name: 'console-off', methods: ['GET'], path: CONSOLE_PATH, body: { kind: 'none' }, cors: false, handle: () => off })];
  }
  const assets = loadAssets();
  const authorize = await createConsoleAccess({ ...deps, isOpen: access.isOpen });
  const asset = (path: string, name: AssetName) =>
    defineRoute({ name: `console-${name}`, methods: ['GET'], path, body: { kind: 'none' }, cors: false, handle: () => assets[name] });
  const noStore = { 'Cache-Control': 'no-store' };
  const refusal = (err: unknown): RouteResponse => {
    if (!(err instanceof ServiceError)) throw err;
    return json({ __type: err.name, message: err.message }, err.status, { 'x-amzn-ErrorType': err.name, ...noStore });
  };

  return [
    asset(CONSOLE_PATH, 'index.html'),
    defineRoute({ name: 'console-slash', methods: ['GET'], path: `${CONSOLE_PATH}/`, body: { kind: 'none' }, cors: false, handle: () => redirect(CONSOLE_PATH) }),
    asset(`${CONSOLE_PATH}/console.js`, 'console.js'),
    asset(`${CONSOLE_PATH}/console.css`, 'console.css'),
    defineRoute({
      name: 'console-config',
      methods: ['GET'],
      path: `${CONSOLE_PATH}/config.json`,
      body: { kind: 'none' },
      cors: false,
      // What the page needs before its first call; nothing here is secret. serverTime lets the
      // page sign with the server's clock when the machine's clock differs (as SDKs correct skew).
      handle: async () =>
        json(
          {
            region: deps.config.region,
            credentials: !(await access.isOpen()),
            codes: deps.config.devMessages && (await access.isOpen()),
            serverTime: deps.clock.nowMs(),
          },
          200,
          noStore,
        ),
    }),
    defineRoute({
      name: 'console-messages',
      methods: ['GET'],
      path: `${CONSOLE_PATH}/api/messages`,
      body: { kind: 'none' },
      cors: false,
      async handle(request) {
        try {
          const filters = readFilters(request.query, ['pool', 'user', 'limit']);
          const reader = await authorize(request, filters.pool);
          // Codes only in development mode: open, with --dev-messages; never once credentials exist.
          const withCodes = reader.open && deps.config.devMessages;
          return json({ codes: withCodes, messages: await listMessages(deps, filters, withCodes) }, 200, noStore);
        } catch (err) {
          return refusal(err);
        }
      },
    }),
    defineRoute({
      name: 'console-audit',
      methods: ['GET'],
      path: `${CONSOLE_PATH}/api/audit`,
      body: { kind: 'none' },
      cors: false,
      async handle(request) {
        try {
          const filters = readFilters(request.query, ['pool', 'operation', 'limit']);
          await authorize(request, filters.pool);
          await access.flushAudit();
          return json({ entries: await listAudit(deps, filters) }, 200, noStore);
        } catch (err) {
          return refusal(err);
        }
      },
    }),
  ];
}
