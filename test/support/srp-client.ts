import { InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as identityJs from 'amazon-cognito-identity-js';
import { createHmac } from 'node:crypto';
import type { TestServer } from './server.js';

/**
 * The client half of USER_SRP_AUTH for tests that need to bend the second step (replay,
 * tamper, late, odd TIMESTAMP). The arithmetic is amazon-cognito-identity-js's own
 * AuthenticationHelper, not the server's code, so a server mistake cannot cancel itself out.
 */
interface BigIntegerLike {
  toString(radix: number): string;
}
interface Helper {
  N: BigIntegerLike & { constructor: new (hex: string, radix: number) => BigIntegerLike };
  getLargeAValue(cb: (err: unknown, A: BigIntegerLike) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, B: BigIntegerLike, salt: BigIntegerLike, cb: (err: unknown, key: Buffer) => void): void;
}
const { AuthenticationHelper } = identityJs as unknown as { AuthenticationHelper: new (poolName: string) => Helper };

export const SRP_N_HEX = (new AuthenticationHelper('x').N as BigIntegerLike).toString(16);

export interface SrpStart {
  helper: Helper;
  A: string;
  challenge: Record<string, string>;
  session?: string | undefined;
}

export function newHelper(poolId: string): { helper: Helper; A: string } {
  const helper = new AuthenticationHelper(poolId.split('_')[1] as string);
  let A = '';
  helper.getLargeAValue((err, value) => {
    if (err) throw err;
    A = value.toString(16);
  });
  return { helper, A };
}

export async function srpStart(server: TestServer, poolId: string, clientId: string, username: string): Promise<SrpStart> {
  const { helper, A } = newHelper(poolId);
  const res = await server.client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: A } }));
  if (res.ChallengeName !== 'PASSWORD_VERIFIER') throw new Error(`expected PASSWORD_VERIFIER, got ${res.ChallengeName}`);
  return { helper, A, challenge: res.ChallengeParameters ?? {}, session: res.Session };
}

/** AWS's TIMESTAMP text for a moment, as the client libraries write it. */
export function srpTimestamp(ms: number, padDay = false): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  const day = padDay ? two(d.getUTCDate()) : String(d.getUTCDate());
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The PASSWORD_VERIFIER answer for a password, with the given TIMESTAMP text. */
export async function srpAnswer(start: SrpStart, poolId: string, password: string, timestamp: string): Promise<Record<string, string>> {
  const { helper, challenge } = start;
  const userId = challenge.USER_ID_FOR_SRP as string;
  const Big = helper.N.constructor;
  const key = await new Promise<Buffer>((resolve, reject) =>
    helper.getPasswordAuthenticationKey(userId, password, new Big(challenge.SRP_B as string, 16), new Big(challenge.SALT as string, 16), (err, k) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(k),
    ),
  );
  const signature = createHmac('sha256', key)
    .update(poolId.split('_')[1] as string, 'utf8')
    .update(userId, 'utf8')
    .update(Buffer.from(challenge.SECRET_BLOCK as string, 'base64'))
    .update(timestamp, 'utf8')
    .digest('base64');
  return {
    USERNAME: challenge.USERNAME as string,
    PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK as string,
    PASSWORD_CLAIM_SIGNATURE: signature,
    TIMESTAMP: timestamp,
  };
}

export function srpRespond(server: TestServer, clientId: string, responses: Record<string, string>, session?: string) {
  return server.client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses, Session: session }));
}
