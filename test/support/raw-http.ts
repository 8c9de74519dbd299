import { connect, type Socket } from 'node:net';

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything the server wrote, as received. */
  raw: string;
}

/**
 * Sends bytes as they are (a target fetch would normalise, a body shorter than its length, a
 * Host of our choosing) and reads what comes back until the server closes the connection or
 * `timeoutMs` passes. Resolves undefined when the server wrote nothing.
 */
export function rawHttp(port: number, request: string, options: { timeoutMs?: number; halfClose?: boolean; host?: string } = {}): Promise<RawHttpResponse | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: options.host ?? '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${options.timeoutMs ?? 5000} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1').slice(0, 200))}`));
    }, options.timeoutMs ?? 5000);
    socket.on('connect', () => {
      socket.write(request);
      if (options.halfClose) socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    // The server's end of the stream (its FIN) is the end of its answer; with allowHalfOpen the
    // socket would otherwise stay open for writing.
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks).toString('latin1')));
    };
    socket.on('end', done);
    socket.on('close', done);
  });
}

export function parse(raw: string): RawHttpResponse | undefined {
  if (raw === '') return undefined;
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end < 0 ? raw.length : end).split('\r\n');
  const status = Number((head[0] ?? '').split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: end < 0 ? '' : raw.slice(end + 4), raw };
}

/** A connection that sends the start of a request and then nothing: a slow or stalled upload. */
export function stalledUpload(port: number, declaredBytes: number, sentBytes: number, target = 'AWSCognitoIdentityProviderService.ListUserPools'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(
        `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: ${target}\r\nContent-Length: ${declaredBytes}\r\n\r\n` +
          ' '.repeat(sentBytes),
        () => resolve(socket),
      );
    });
  });
}

/** Resolves when the socket is closed (by either side), with whatever the server wrote on it. */
export function closed(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => {
    if (socket.destroyed) resolve('');
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}
