import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
  rawBody: string;
}

export interface SmsWebhook {
  url: string;
  calls: WebhookCall[];
  /** Statuses to answer, one per call, in order; once used up every call gets 200. */
  respondWith(...statuses: number[]): void;
  /** Calls wait this long before being answered (for timeout tests). */
  delayMs: number;
  /** Resolves with the next call (or one already received beyond `seen`). */
  nextCall(seen?: number, timeoutMs?: number): Promise<WebhookCall>;
  close(): Promise<void>;
}

/** A real HTTP server on port 0 that records what the SMS webhook transport posts to it. */
export async function startSmsWebhook(): Promise<SmsWebhook> {
  const calls: WebhookCall[] = [];
  const planned: number[] = [];
  const waiters: Array<() => void> = [];
  const hook: SmsWebhook = {
    url: '',
    calls,
    delayMs: 0,
    respondWith: (...statuses) => void planned.push(...statuses),
    async nextCall(seen = calls.length, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length <= seen) {
        if (Date.now() > deadline) throw new Error(`no webhook call after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return calls[seen] as WebhookCall;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      calls.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, rawBody });
      waiters.splice(0).forEach((w) => w());
      const status = planned.shift() ?? 200;
      setTimeout(() => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: status < 300 }));
      }, hook.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  return hook;
}

/** The 6-digit code inside an SMS text. */
export function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error('no 6-digit code in the SMS');
  return match[1] as string;
}
