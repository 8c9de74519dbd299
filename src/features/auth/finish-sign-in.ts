import type { Deps } from '../../services/deps.js';
import type { RequestContext } from '../../kernel/request-context.js';
import type { SignInClient } from './sign-in-client.js';
import type { UserRecord } from '../../domain/users/user.js';
import type { RespondToAuthChallengeResponse } from '../../model/generated/types.js';
import type { TriggerDeps } from '../../services/triggers/run-trigger.js';
import type { TokenGenerationSource } from '../../services/triggers/token-generation.js';
import { issueTokens, type TokenIssuerDeps } from '../../services/tokens/tokens.js';
import { deviceOfSignIn } from '../../services/devices/sign-in-device.js';
import { runPostAuthentication } from './sign-in-triggers.js';

/** The device (store, clock, random, config), the PostAuthentication function, the tokens. */
export type FinishSignInDeps = TokenIssuerDeps | TriggerDeps;

export interface FinishOptions {
  /** RespondToAuthChallenge's ClientMetadata (InitiateAuth passes none to these triggers). */
  clientMetadata?: Record<string, string> | undefined;
  /** The request's DEVICE_KEY, when it sent one. */
  deviceKey?: string | undefined;
  source?: TokenGenerationSource;
}

/**
 * The end of every sign-in, whichever steps it took: in a pool that remembers devices the
 * device of the tokens (the known one the request named, or a new one announced as
 * NewDeviceMetadata, cognito-facts-areas.md 3.5), then the PostAuthentication function, then
 * tokens, the access token naming the device.
 */
export async function finishSignIn(
  deps: Pick<Deps, FinishSignInDeps>,
  sc: SignInClient,
  user: UserRecord,
  ctx: RequestContext,
  options: FinishOptions = {},
): Promise<RespondToAuthChallengeResponse> {
  const device = await deviceOfSignIn(deps, sc.pool.id, sc.settings, user.sub, options.deviceKey, ctx.sourceIp);
  await runPostAuthentication(deps, sc, user, options.clientMetadata, device?.newDevice !== undefined);
  const tokens = await issueTokens(deps, {
    pool: sc.pool,
    client: sc.client,
    user,
    baseUrl: ctx.baseUrl,
    trigger: { source: options.source ?? 'TokenGeneration_Authentication', clientMetadata: options.clientMetadata },
    deviceKey: device?.deviceKey,
  });
  return { ChallengeParameters: {}, AuthenticationResult: { ...tokens, ...(device?.newDevice && { NewDeviceMetadata: device.newDevice }) } };
}
