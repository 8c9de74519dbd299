import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SnsCall {
  headers: IncomingHttpHeaders;
  /** The form fields of the AWS query request (Action, PhoneNumber, Message, MessageAttributes.entry.N...). */
  params: Record<string, string>;
  /** The MessageId answered, for a successful call. */
  messageId?: string;
}

export interface SnsFailure {
  status: number;
  /** SNS's error code, e.g. InvalidParameter, Throttled, InternalError. */
  code: string;
  message: string;
}

export interface FakeSns {
  endpoint: string;
  calls: SnsCall[];
  /** Failures to answer, one per call, in order; once used up calls succeed. */
  failWith(...failures: SnsFailure[]): void;
  close(): Promise<void>;
}

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * Just enough of SNS's query protocol for Publish: a form-encoded POST in, the XML
 * PublishResponse (or SNS's XML ErrorResponse) out.
 */
export async function startFakeSns(): Promise<FakeSns> {
  const calls: SnsCall[] = [];
  const failures: SnsFailure[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const call: SnsCall = { headers: req.headers, params };
      calls.push(call);
      const requestId = randomUUID();
      const failure = params.Action === 'Publish' ? failures.shift() : { status: 400, code: 'InvalidAction', message: 'Only Publish is faked' };
      res.setHeader('Content-Type', 'text/xml');
      res.setHeader('x-amzn-RequestId', requestId);
      if (failure) {
        res.writeHead(failure.status);
        res.end(
          `<ErrorResponse xmlns="${NS}"><Error><Type>${failure.status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
            `<Code>${failure.code}</Code><Message>${escapeXml(failure.message)}</Message></Error>` +
            `<RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
        return;
      }
      call.messageId = randomUUID();
      res.writeHead(200);
      res.end(
        `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>${call.messageId}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    failWith: (...f) => void failures.push(...f),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
