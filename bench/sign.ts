import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { OPERATIONS, SERVICE, type OperationName } from '../src/model/generated/operations.js';
import type { PreparedRequest } from './load.js';

/**
 * Turns bodies into ready-to-send requests. With credentials, the operations AWS signs carry a
 * SigV4 signature made here, before the measured loop (the server accepts a signature for its
 * clock-skew allowance, 5 minutes by default, which is longer than any one scenario).
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type Preparer = (operation: OperationName, bodies: readonly string[]) => Promise<PreparedRequest[]>;

export function createPreparer(url: string, credentials: Credentials | undefined, region = 'us-east-1'): Preparer {
  const { hostname, port, host } = new URL(url);
  const signer = credentials && new SignatureV4({ service: 'cognito-idp', region, credentials, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  return async (operation, bodies) => {
    const base = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${SERVICE.targetPrefix}.${operation}`,
    };
    if (!signer || OPERATIONS[operation].unsigned) return bodies.map((body) => ({ headers: base, body }));
    const out: PreparedRequest[] = [];
    for (const body of bodies) {
      const signed = await signer.sign({
        method: 'POST',
        protocol: 'http:',
        hostname,
        port: Number(port),
        path: '/',
        query: {},
        headers: { ...base, host, 'content-length': String(Buffer.byteLength(body)) },
        body,
      });
      out.push({ headers: signed.headers as Record<string, string>, body });
    }
    return out;
  };
}
