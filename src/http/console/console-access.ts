import type { Config } from '../../kernel/config.js';
import type { Clock } from '../../kernel/clock.js';
import { ServiceError } from '../../kernel/errors.js';
import type { RawRequest } from '../../kernel/request-context.js';
import type { SecretBox } from '../../kernel/secret-box.js';
import { poolArn } from '../../domain/pools/user-pool.js';
import type { Store } from '../../ports/store.js';
import { createCredentialSource } from '../../services/credentials/credential-source.js';
import { evaluate } from '../../services/credentials/policy.js';
import { loadCredentialsFile } from '../../services/credentials/principals.js';
import { isLoopback } from '../pipeline/authenticate.js';
import {
  SIGNING_SERVICE,
  SIGV4_MESSAGES,
  checkClaim,
  constantTimeEquals,
  invalidSignature,
  missingAuthenticationToken,
  readSignature,
  signatureMatches,
  unrecognizedClient,
} from '../pipeline/sigv4.js';
import type { RouteRequest } from '../routes/route.js';

/**
 * Who may read the console's two JSON views (the outbox and the audit log). They are not AWS
 * operations, but they obey the same credentials as the API: with developer credentials, a
 * request signed with SigV4 (header form, X-Amz-Target signed and naming the action) by a key
 * whose policy allows `cognito-idp:ListUsers` on the pool read (on `*` when no pool is named,
 * as for the API's operations on no pool); in open mode, clients on this machine only.
 * ListUsers is the action because both views show who the pool's users are and what happened
 * to them, which is what ListUsers already grants.
 */
export const CONSOLE_READ_ACTION = 'ListUsers';
const TARGET = `AWSCognitoIdentityProviderService.${CONSOLE_READ_ACTION}`;

export interface ConsoleReader {
  /** Open mode: nobody signs, and codes may be shown (with --dev-messages). */
  open: boolean;
}

export type AuthorizeRead = (request: RouteRequest, poolId: string | undefined) => Promise<ConsoleReader>;

export interface ConsoleAccessDeps {
  config: Config;
  store: Store;
  secrets: SecretBox;
  clock: Clock;
  isOpen: () => Promise<boolean>;
}

/** Throws the ServiceError that refuses the request (the API's SigV4 and policy errors, with their texts). */
export async function createConsoleAccess(deps: ConsoleAccessDeps): Promise<AuthorizeRead> {
  const { config, clock } = deps;
  const filePrincipals = config.credentialsFile === undefined ? [] : await loadCredentialsFile(config.credentialsFile, config.accountId, deps.secrets);
  const source = createCredentialSource(filePrincipals, deps.store, deps.secrets);

  return async (request, poolId) => {
    if (await deps.isOpen()) {
      if (!isLoopback(request.ctx.sourceIp)) {
        throw new ServiceError(
          'AccessDeniedException',
          'userpoold runs without developer credentials (open mode): the console serves its data to clients on this machine (loopback) only.',
        );
      }
      return { open: true };
    }
    // The request as SigV4 saw it: these routes take no body, so the signed payload is empty.
    const raw: RawRequest = { method: request.method, path: request.path, query: request.query, headers: request.headers, body: '' };
    const claim = readSignature(raw);
    if (!claim) throw missingAuthenticationToken();
    checkClaim(claim, { region: config.region, nowMs: clock.nowMs(), skewSeconds: config.sigv4ClockSkewSeconds });
    const principal = await source.find(claim.accessKeyId);
    if (!principal) throw unrecognizedClient();
    if (!(await signatureMatches(claim, raw, principal.secretAccessKey))) throw invalidSignature(SIGV4_MESSAGES.mismatch);
    const token = claim.sessionToken;
    if (principal.sessionToken === undefined ? token !== undefined : token === undefined || !constantTimeEquals(principal.sessionToken, token)) {
      throw unrecognizedClient();
    }
    // The signed target names the action the policy is asked about, so the signature covers it.
    if (request.headers['x-amz-target'] !== TARGET) {
      throw new ServiceError('InvalidParameterException', `The console's data routes are read with X-Amz-Target: ${TARGET} (signed).`);
    }
    const resource = poolId === undefined ? '*' : poolArn(config.region, config.accountId, poolId);
    const action = `${SIGNING_SERVICE}:${CONSOLE_READ_ACTION}`;
    if (evaluate(principal.policy, action, resource) !== 'allow') {
      throw new ServiceError('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`);
    }
    return { open: false };
  };
}
