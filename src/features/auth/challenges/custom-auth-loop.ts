import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { SignInClient } from '../sign-in-client.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { preventsUserExistenceErrors } from '../../../domain/clients/app-client.js';
import { authSessionValidityMs } from '../../../domain/auth/sign-in.js';
import { MESSAGES, invalidLambdaResponse, invalidParameter, notAuthorized } from '../../../kernel/errors.js';
import type { InitiateAuthResponse } from '../../../model/generated/types.js';
import { runTrigger, type TriggerDeps } from '../../../services/triggers/run-trigger.js';
import type { ChallengeResult } from '../../../services/triggers/trigger-contracts.js';
import { UNRECOGNIZABLE } from '../../../services/triggers/lambda-outcome.js';
import { triggerUserAttributes } from '../../../services/triggers/user-attributes.js';
import { sealSession, type CustomSessionState } from '../../../services/sessions/auth-session.js';
import { issueTokens, type TokenIssuerDeps } from '../../../services/tokens/tokens.js';
import { runPostAuthentication } from '../sign-in-triggers.js';
import { passwordVerifierChallenge } from '../flows/srp-sign-in.js';

/**
 * The custom sign-in (CUSTOM_AUTH) loop, cognito-facts-areas.md §2.2/§2.3 and DG
 * user-pool-lambda-{define,create,verify}-auth-challenge: DefineAuthChallenge reads the
 * challenges so far (`session`, oldest first) and answers failAuthentication, issueTokens or the
 * next challenge; a CUSTOM_CHALLENGE is made by CreateAuthChallenge, whose public parameters are
 * the client's ChallengeParameters and whose private ones wait, sealed in the Session, for
 * VerifyAuthChallengeResponse (challenges/custom-challenge.ts). PASSWORD_VERIFIER is the SRP step
 * of a sign-in that began with SRP_A (flows/custom-sign-in.ts).
 */

export type CustomAuthDeps = 'store' | 'clock' | 'secrets' | 'random' | TriggerDeps | TokenIssuerDeps;

/** [FIELD: the exact string compared in many public code bases, e.g. amplify-js PR #7401's context] */
export const CUSTOM_AUTH_NOT_CONFIGURED = 'Custom auth lambda trigger is not configured for the user pool.';

/**
 * How many challenges one sign-in may go through. AWS documents no limit that could be found
 * (searched: DG define-auth-challenge, the authentication-flow pages, issue trackers); the
 * Session must stay under the model's 2048 characters, and every challenge makes it longer, so
 * userpoold stops here: a Define that asks for one more challenge fails the sign-in as a
 * failAuthentication would.
 */
export const MAX_CUSTOM_ROUNDS = 8;

/** Who signs in: the user, or (for clients that hide user existence) a name the pool does not know. */
export interface CustomSubject {
  user: UserRecord | undefined;
  /** The name typed at InitiateAuth. */
  name: string;
}

function common(sc: SignInClient, subject: CustomSubject) {
  return {
    poolId: sc.pool.id,
    userName: subject.user?.username ?? subject.name,
    clientId: sc.client.id,
  };
}

/** The members every custom-auth event's request shares; userNotFound only for clients that hide user existence (§2.2). */
export function customRequestBase(sc: SignInClient, subject: CustomSubject) {
  return {
    userAttributes: subject.user ? triggerUserAttributes(subject.user) : {},
    ...(preventsUserExistenceErrors(sc.clientSettings) && { userNotFound: subject.user === undefined }),
  };
}

/**
 * Asks DefineAuthChallenge what follows `rounds` and does it. `clientMetadata` is
 * RespondToAuthChallenge's (InitiateAuth passes none to these triggers, §2.2); `srpA` is the
 * client's SRP value when the last round is SRP_A.
 */
export async function nextCustomStep(
  deps: Pick<Deps, CustomAuthDeps>,
  sc: SignInClient,
  subject: CustomSubject,
  rounds: ChallengeResult[],
  ctx: RequestContext,
  clientMetadata: Record<string, string> | undefined,
  srpA?: bigint,
): Promise<InitiateAuthResponse> {
  const base = customRequestBase(sc, subject);
  const define = await runTrigger(deps, sc.settings, {
    source: 'DefineAuthChallenge_Authentication',
    ...common(sc, subject),
    request: { ...base, session: rounds, clientMetadata },
  });
  if (!define) throw invalidParameter(CUSTOM_AUTH_NOT_CONFIGURED);
  // The sign-in fails as a wrong password does [FIELD gh:aws-amplify/amplify-js#8145].
  if (define.failAuthentication) throw notAuthorized(MESSAGES.incorrectCredentials);
  if (define.issueTokens) {
    // Nobody to issue tokens to: the answer a wrong password gets, so existence stays hidden.
    if (!subject.user) throw notAuthorized(MESSAGES.incorrectCredentials);
    return finishCustomSignIn(deps, sc, subject.user, ctx, clientMetadata);
  }
  if (define.challengeName !== 'CUSTOM_CHALLENGE' && define.challengeName !== 'PASSWORD_VERIFIER') {
    // No decision, or a challenge the custom flow cannot present: not an answer Cognito can act on (§2.5).
    throw invalidLambdaResponse(UNRECOGNIZABLE);
  }
  if (rounds.length >= MAX_CUSTOM_ROUNDS) throw notAuthorized(MESSAGES.incorrectCredentials);
  const state = { id: deps.random.uuid(), name: subject.name, userNotFound: subject.user === undefined, rounds };

  if (define.challengeName === 'PASSWORD_VERIFIER') {
    // Only right after SRP_A (§2.3): the SRP step needs the client's A.
    if (srpA === undefined || rounds.at(-1)?.challengeName !== 'SRP_A') throw invalidLambdaResponse(UNRECOGNIZABLE);
    const srpBlockId = deps.random.uuid();
    const challenge = passwordVerifierChallenge(deps, sc, subject.user, subject.name, srpA, { blockId: srpBlockId });
    return { ...challenge, Session: customSession(deps, sc, subject, 'PASSWORD_VERIFIER', { ...state, srpBlockId }) };
  }

  const created = await runTrigger(deps, sc.settings, {
    source: 'CreateAuthChallenge_Authentication',
    ...common(sc, subject),
    request: { ...base, challengeName: 'CUSTOM_CHALLENGE', session: rounds, clientMetadata },
  });
  if (!created) throw invalidParameter(CUSTOM_AUTH_NOT_CONFIGURED);
  const session = customSession(deps, sc, subject, 'CUSTOM_CHALLENGE', {
    ...state,
    privateParameters: created.privateChallengeParameters,
    metadata: created.challengeMetadata ?? null,
  });
  return {
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: session,
    // The public parameters, and the user's name as the answer must send it back (USERNAME, §3.3).
    ChallengeParameters: { ...created.publicChallengeParameters, USERNAME: subject.user?.username ?? subject.name },
  };
}

function customSession(
  deps: Pick<Deps, 'secrets' | 'clock'>,
  sc: SignInClient,
  subject: CustomSubject,
  challenge: 'CUSTOM_CHALLENGE' | 'PASSWORD_VERIFIER',
  custom: CustomSessionState,
): string {
  return sealSession(deps.secrets, {
    poolId: sc.pool.id,
    clientId: sc.client.id,
    userSub: subject.user?.sub ?? '',
    challenge,
    // Each step's Session lives for the client's AuthSessionValidity (§3.4).
    expiresAt: deps.clock.nowMs() + authSessionValidityMs(sc.clientSettings),
    passwordSetAt: subject.user?.passwordUpdatedAt ?? null,
    custom,
  });
}

/**
 * Define said issueTokens: the PostAuthentication function, then tokens
 * (TokenGeneration_Authentication), with RespondToAuthChallenge's ClientMetadata. The pool's
 * MFA is not asked for: the challenges Define chose are the sign-in's factors.
 */
async function finishCustomSignIn(
  deps: Pick<Deps, CustomAuthDeps>,
  sc: SignInClient,
  user: UserRecord,
  ctx: RequestContext,
  clientMetadata: Record<string, string> | undefined,
): Promise<InitiateAuthResponse> {
  await runPostAuthentication(deps, sc, user, clientMetadata);
  const tokens = await issueTokens(deps, {
    pool: sc.pool,
    client: sc.client,
    user,
    baseUrl: ctx.baseUrl,
    trigger: { source: 'TokenGeneration_Authentication', clientMetadata },
  });
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}
