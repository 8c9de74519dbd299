import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { BodyPolicy, Problem } from './route.js';

/** The client went away (or took too long and was cut off) before its body arrived whole. */
export class BodyAborted extends Error {
  constructor(readonly code: string | undefined) {
    super('request body aborted');
  }
}

/** The body goes over the route's limit while it streams in. */
export class BodyTooLarge extends Error {}

/**
 * Reads the whole body, refusing it as soon as it passes `limit` bytes. On refusal the rest is
 * not read: the server answers and closes the connection. An error on the request stream means
 * the client aborted or the request timed out; it rejects with BodyAborted, which is nobody's bug.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish();
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      finish();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (err: NodeJS.ErrnoException) => {
      finish();
      reject(new BodyAborted(err.code));
    };
    // 'close' without 'end': the connection went before the body was complete.
    const onClose = () => {
      if (done) return;
      finish();
      reject(new BodyAborted(undefined));
    };
    function finish(): void {
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** The body as the route's policy wants it, or the problem that refuses it. */
export function decodeBody(policy: Exclude<BodyPolicy, { kind: 'none' | 'stream' }>, raw: Buffer, headers: IncomingHttpHeaders): { body: unknown } | Problem {
  switch (policy.kind) {
    case 'raw':
      return { body: raw };
    case 'text':
      return { body: raw.toString('utf8') };
    case 'json': {
      if (raw.length === 0) return { body: undefined };
      try {
        return { body: JSON.parse(raw.toString('utf8')) as unknown };
      } catch {
        return { status: 400, kind: 'bad-request', message: 'Request body is not valid JSON.' };
      }
    }
    case 'form': {
      const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        return { status: 415, kind: 'unsupported-media-type', message: 'Expected a body of type application/x-www-form-urlencoded.' };
      }
      return { body: new URLSearchParams(raw.toString('utf8')) };
    }
  }
}

/**
 * The body as it arrives, for routes that store it piece by piece (body kind 'stream'): pulled
 * by the handler, so the socket is read no faster than the handler consumes (backpressure), and
 * nothing but the piece in hand is held. Throws BodyTooLarge once past `limit`, BodyAborted when
 * the client goes before the end; the server answers those for the route (src/http/server.ts).
 */
export async function* streamBody(req: IncomingMessage, limit: number): AsyncGenerator<Buffer, void, undefined> {
  let size = 0;
  const pieces = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await pieces.next();
    } catch (err) {
      throw new BodyAborted((err as NodeJS.ErrnoException).code);
    }
    if (next.done === true) {
      // Node ends the iteration quietly when the connection closes mid-body: only a complete request is whole.
      if (!req.complete) throw new BodyAborted(undefined);
      return;
    }
    size += next.value.length;
    if (size > limit) {
      req.pause();
      throw new BodyTooLarge();
    }
    yield next.value;
  }
}
