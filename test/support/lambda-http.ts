import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { CustomMessageEvent } from '../../src/services/triggers/custom-message.js';

/** What a handler may answer instead of an event: a raw status and body. */
export class HttpReply {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {}
}

export type FunctionHandler = (event: CustomMessageEvent) => unknown;

export interface FunctionEndpoint {
  /** POST the event here. */
  url: string;
  /** Every event received, in order. */
  events: CustomMessageEvent[];
  close(): Promise<void>;
}

/**
 * A CustomMessage "function" behind a URL, for tests: it records each event it receives and
 * answers with what the handler returns (as JSON, status 200), an HttpReply as given, or, when
 * the handler throws, status 500 with `{"errorMessage": ...}` like a failed Lambda function.
 */
export async function startFunctionEndpoint(handler: FunctionHandler = (event) => event): Promise<FunctionEndpoint> {
  const events: CustomMessageEvent[] = [];
  const server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CustomMessageEvent;
    events.push(structuredClone(event));
    try {
      const result = await handler(event);
      if (result instanceof HttpReply) {
        res.writeHead(result.status, { 'content-type': 'application/json' }).end(result.body);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null));
      }
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errorMessage: (err as Error).message }));
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a `--triggers-file` (function ARN → invoker) in a fresh folder; returns its path. */
export function writeTriggersFile(invokers: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'userpoold-triggers-')), 'triggers.json');
  writeFileSync(path, JSON.stringify(invokers));
  return path;
}
