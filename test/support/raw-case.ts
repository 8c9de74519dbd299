import { connect } from 'node:net';
import { parse, type RawHttpResponse } from './raw-http.js';

/**
 * One HTTP request as bytes, for test/endpoint-fuzz.test.ts: no client normalises its target or
 * headers, its body may be chunked, cut short or declared larger than sent, and the answer is
 * read until the server closes the connection (every case asks Connection: close).
 */

/** Generous: the machine is shared and slow under load; a stall (a handler that never answers) is what this catches. */
export const ANSWER_BUDGET_MS = 10_000;

/** One request as sent, for the failure message and replay. */
export interface Case {
  method: string;
  target: string;
  headers: [string, string][];
  body: Buffer;
  /** Declares more bytes than it sends, then closes its side: the server may answer nothing. */
  short: boolean;
  /** Sent with Transfer-Encoding: chunked (no Content-Length): the server learns the size as it reads. */
  chunked?: boolean;
  /** A Content-Length of this instead of the body's (the body is not sent): a refusal before reading. */
  declaredLength?: number;
}

export function plain(method: string, target: string, headers: [string, string][] = []): Case {
  return { method, target, headers: headers.some(([n]) => n === 'Host') ? headers : [['Host', '127.0.0.1'], ...headers], body: Buffer.alloc(0), short: false };
}

export function formCase(target: string, fields: Record<string, string>, headers: [string, string][] = []): Case {
  return { ...plain('POST', target, [['Content-Type', 'application/x-www-form-urlencoded'], ...headers]), body: Buffer.from(new URLSearchParams(fields).toString()) };
}

export function describeCase(c: Case): string {
  const body = c.body.length > 300 ? `${c.body.subarray(0, 300).toString('latin1')}... (${c.body.length} bytes)` : c.body.toString('latin1');
  const target = c.target.length > 400 ? `${c.target.slice(0, 400)}... (${c.target.length} chars)` : c.target;
  const headers = c.headers.map(([n, v]) => `${n}: ${v.length > 200 ? `${v.slice(0, 200)}...` : v}`).join(' | ');
  return `${c.method} ${target}${c.short ? ' (body cut short)' : ''}${c.chunked ? ' (chunked)' : ''}\n   ${headers}\n   body: ${JSON.stringify(body)}`;
}

/** Writes the request as bytes and reads until the server closes (Connection: close). */
export function send(port: number, c: Case, budgetMs = ANSWER_BUDGET_MS): Promise<RawHttpResponse | undefined> {
  const framing = c.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${c.declaredLength ?? (c.short ? c.body.length + 10 : c.body.length)}`;
  const head = `${c.method} ${c.target} HTTP/1.1\r\n` + c.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('') + `${framing}\r\nConnection: close\r\n\r\n`;
  const body = !c.chunked ? c.body : c.body.length === 0 ? Buffer.from('0\r\n\r\n') : Buffer.concat([Buffer.from(`${c.body.length.toString(16)}\r\n`), c.body, Buffer.from('\r\n0\r\n\r\n')]);
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${budgetMs} ms: ${describeCase(c)}`));
    }, budgetMs + 1_000);
    socket.on('connect', () => {
      // The head as UTF-8: raw non-ASCII in a target is sent on purpose now and then (most is percent-encoded).
      socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body]));
      if (c.short) socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks).toString('utf8')));
    };
    socket.on('end', done);
    socket.on('close', done);
  });
}
