import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A raw answer of the fake Invoke API (status, headers, body), e.g. a throttling error. */
export class InvokeReply {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: string,
  ) {}
}

export interface Invocation {
  functionName: string;
  invocationType: string | undefined;
  authorization: string | undefined;
  payload: unknown;
}

export type FakeFunction = (event: unknown) => unknown;

export interface FakeLambda {
  endpoint: string;
  invocations: Invocation[];
  close(): Promise<void>;
}

/**
 * Just enough of the Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) for the
 * real @aws-sdk/client-lambda: a function's return value is the JSON payload; a thrown error is
 * answered the way Lambda reports an unhandled function error (200, `X-Amz-Function-Error:
 * Unhandled`, `{errorType, errorMessage}`); an unknown function is a ResourceNotFoundException.
 * Functions are found by the name given or, for an ARN, by its function-name part.
 */
export async function startFakeLambda(functions: Record<string, FakeFunction>): Promise<FakeLambda> {
  const invocations: Invocation[] = [];
  const server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'x-amzn-errortype': 'UnknownOperationException' }).end('{}');
      return;
    }
    const functionName = decodeURIComponent(match[1] as string);
    const text = Buffer.concat(chunks).toString('utf8');
    const payload: unknown = text === '' ? undefined : JSON.parse(text);
    invocations.push({
      functionName,
      invocationType: header(req, 'x-amz-invocation-type'),
      authorization: header(req, 'authorization'),
      payload: structuredClone(payload),
    });
    const fn = functions[functionName] ?? functions[functionName.split(':')[6] ?? ''];
    if (!fn) {
      res
        .writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
        .end(JSON.stringify({ Type: 'User', Message: `Function not found: ${functionName}` }));
      return;
    }
    try {
      const result = await fn(payload);
      if (result instanceof InvokeReply) {
        res.writeHead(result.status, result.headers).end(result.body);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' }).end(JSON.stringify(result ?? null));
    } catch (err) {
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' })
        .end(JSON.stringify({ errorType: (err as Error).name, errorMessage: (err as Error).message, trace: [] }));
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
