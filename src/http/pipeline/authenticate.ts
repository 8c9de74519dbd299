import { isIP } from 'node:net';
import { ConfigError, type Config } from '../../kernel/config.js';
import { poolArn } from '../../domain/pools/user-pool.js';
import { ServiceError } from '../../kernel/errors.js';
import type { Guards } from './index.js';
import { OPERATIONS, type OperationName } from '../../model/generated/operations.js';
import { SHAPES } from '../../model/generated/shapes.js';
import {
  SIGV4_MESSAGES,
  SIGNING_SERVICE,
  checkClaim,
  constantTimeEquals,
  invalidSignature,
  missingAuthenticationToken,
  readSignature,
  signatureMatches,
  unrecognizedClient,
} from './sigv4.js';
import type { Store } from '../../ports/store.js';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { createCredentialSource } from '../../services/credentials/credential-source.js';
import { evaluate } from '../../services/credentials/policy.js';
import { loadCredentialsFile, type Principal } from '../../services/credentials/principals.js';

export type Authenticate = NonNullable<Guards['authenticate']>;

export interface AuthenticatorDeps {
  config: Config;
  store: Store;
  secrets: SecretBox;
  clock: Clock;
  logger: Logger;
}

/**
 * The `authenticate` guard. With credentials (a credentials file, or keys made by `userpoold
 * credentials create`), every operation AWS signs needs a valid SigV4 signature by a known key
 * whose policy allows the action on the pool. Without any, the server runs open, which it
 * agrees to only on a loopback address (or with --insecure-open): signed operations then accept
 * any well-formed signature, and no signature at all, so local tools and raw test calls work.
 * Throws ConfigError when it refuses to start.
 */
export async function createAuthenticator(deps: AuthenticatorDeps): Promise<Authenticate & { isOpen: () => Promise<boolean> }> {
  const { config, clock, logger } = deps;
  const filePrincipals = config.credentialsFile === undefined ? [] : await loadCredentialsFile(config.credentialsFile, config.accountId, deps.secrets);
  const source = createCredentialSource(filePrincipals, deps.store, deps.secrets);
  if (!(await source.any())) {
    if (!isLoopback(config.host) && !config.insecureOpen) {
      throw new ConfigError(
        `refusing to listen on ${config.host} without developer credentials: anyone reaching the port could call every admin operation. ` +
          'Give --credentials-file, create a key with `userpoold credentials create`, listen on 127.0.0.1, or pass --insecure-open.',
      );
    }
    logger.warn('signed operations are open: no developer credentials exist, so any well-formed signature (or none) is accepted', {
      host: config.host,
      insecureOpen: config.insecureOpen,
    });
  }
  const unverifiedArn = `arn:aws:iam::${config.accountId}:user/unverified`;

  const authenticate: Authenticate = async (operation, signed, request, input, ctx) => {
    if (!signed) return;
    const claim = readSignature(request);
    if (!(await source.any())) {
      if (claim) ctx.principal = { arn: unverifiedArn, accessKeyId: claim.accessKeyId };
      return;
    }
    try {
      if (!claim) throw missingAuthenticationToken();
      checkClaim(claim, { region: config.region, nowMs: clock.nowMs(), skewSeconds: config.sigv4ClockSkewSeconds });
      const principal = await source.find(claim.accessKeyId);
      if (!principal) throw unrecognizedClient();
      if (!(await signatureMatches(claim, request, principal.secretAccessKey))) throw invalidSignature(SIGV4_MESSAGES.mismatch);
      if (!sessionTokenMatches(principal, claim.sessionToken)) throw unrecognizedClient();
      ctx.principal = { arn: principal.arn, accessKeyId: principal.accessKeyId };
      authorize(principal, operation, resourceOf(operation, input, config));
    } catch (err) {
      if (err instanceof ServiceError) {
        // Who tried and why it failed; never the signature, secret or token.
        logger.info('request not authenticated', { requestId: ctx.requestId, operation, accessKeyId: claim?.accessKeyId, error: err.name });
      }
      throw err;
    }
  };
  // Open mode, by the same rule and the same source the checks above use: the other open-mode
  // guards (cross-origin calls, Host names, loopback limits, dev views) ask here.
  return Object.assign(authenticate, { isOpen: async () => !(await source.any()) });
}

function sessionTokenMatches(principal: Principal, presented: string | undefined): boolean {
  if (principal.sessionToken === undefined) return presented === undefined;
  return presented !== undefined && constantTimeEquals(principal.sessionToken, presented);
}

/**
 * The resource an action is evaluated on: the user pool's ARN for operations on a pool, the
 * given ARN for the tagging operations, and `*` for those on no resource (CreateUserPool,
 * ListUserPools), as IAM's authorization reference lists no resource type for them. Read only
 * from members the operation's input shape defines: the pipeline passes just those, and a
 * member added to the body (UserPoolId on ListUserPools) must never choose the resource.
 */
export function resourceOf(operation: OperationName, input: Record<string, unknown>, config: Pick<Config, 'region' | 'accountId'>): string {
  const member = RESOURCE_MEMBER[operation];
  const value = member === undefined ? undefined : input[member];
  if (typeof value !== 'string') return '*';
  return member === 'UserPoolId' ? poolArn(config.region, config.accountId, value) : value;
}

/** Per operation, the input member that names its resource, from the model (once, at load). */
const RESOURCE_MEMBER: Readonly<Partial<Record<OperationName, 'UserPoolId' | 'ResourceArn'>>> = (() => {
  const byOperation: Partial<Record<OperationName, 'UserPoolId' | 'ResourceArn'>> = {};
  for (const [name, fact] of Object.entries(OPERATIONS) as [OperationName, (typeof OPERATIONS)[OperationName]][]) {
    const shape = fact.input === null ? undefined : SHAPES[fact.input];
    if (shape?.type !== 'structure') continue;
    if ('UserPoolId' in shape.members) byOperation[name] = 'UserPoolId';
    else if ('ResourceArn' in shape.members) byOperation[name] = 'ResourceArn';
  }
  return byOperation;
})();

function authorize(principal: Principal, operation: OperationName, resource: string): void {
  const action = `${SIGNING_SERVICE}:${operation}`;
  if (evaluate(principal.policy, action, resource) === 'allow') return;
  throw new ServiceError('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`);
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(h);
  return false;
}
