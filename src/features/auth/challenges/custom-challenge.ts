import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { checkClientSecretHash, requiredParameter, type SignInClient } from '../sign-in-client.js';
import { customRequestBase, nextCustomStep, CUSTOM_AUTH_NOT_CONFIGURED, type CustomAuthDeps, type CustomSubject } from './custom-auth-loop.js';
import type { UserRecord } from '../../../domain/users/user.js';
import { findUser } from '../../../services/directory/find-user.js';
import { runTrigger } from '../../../services/triggers/run-trigger.js';
import { INVALID_SESSION, openSession, type AuthSession, type CustomSessionState } from '../../../services/sessions/auth-session.js';
import { MESSAGES, invalidParameter, notAuthorized } from '../../../kernel/errors.js';
import type { RespondToAuthChallengeResponse } from '../../../model/generated/types.js';

/** A session already answered [FIELD gh:aws-amplify/amplify-js#10959; cognito-facts-areas.md §3.4]. */
export const SPENT_SESSION = 'Invalid session for the user.';

export type CustomChallengeDeps = CustomAuthDeps;

type CustomSession = AuthSession & { custom: CustomSessionState };

function openCustomSession(deps: Pick<Deps, 'secrets' | 'clock'>, sc: SignInClient, sealed: string | undefined, challenge: 'CUSTOM_CHALLENGE' | 'PASSWORD_VERIFIER'): CustomSession {
  if (sealed === undefined) throw invalidParameter('Missing required parameter Session');
  const session = openSession(deps.secrets, sealed, deps.clock.nowMs());
  if (session.custom === undefined || session.poolId !== sc.pool.id || session.clientId !== sc.client.id || session.challenge !== challenge) {
    throw notAuthorized(INVALID_SESSION);
  }
  return session as CustomSession;
}

/** The session's subject, which the answer's USERNAME must name (any of the user's sign-in names). */
async function subjectOf(deps: Pick<Deps, 'store'>, sc: SignInClient, session: CustomSession, username: string): Promise<CustomSubject> {
  if (session.custom.userNotFound) {
    if (username !== session.custom.name) throw notAuthorized(INVALID_SESSION);
    return { user: undefined, name: session.custom.name };
  }
  const user = await findUser(deps.store, sc.pool.id, sc.settings, username);
  if (!user || user.sub !== session.userSub) throw notAuthorized(INVALID_SESSION);
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  return { user, name: session.custom.name };
}

/**
 * CUSTOM_CHALLENGE: ANSWER goes to VerifyAuthChallengeResponse with the private parameters
 * CreateAuthChallenge kept; its answerCorrect becomes this challenge's challengeResult, and
 * DefineAuthChallenge decides what follows. Each Session answers once, right or wrong (a retry
 * uses the Session of the challenge that follows) [DOC repost.aws custom-auth expired session:
 * "the session key can be used only once"].
 */
export async function answerCustomChallenge(
  deps: Pick<Deps, CustomChallengeDeps>,
  sc: SignInClient,
  input: ChallengeAnswer,
  ctx: RequestContext,
): Promise<RespondToAuthChallengeResponse> {
  const responses = input.ChallengeResponses;
  const username = requiredParameter(responses, 'USERNAME');
  const answer = requiredParameter(responses, 'ANSWER');
  checkClientSecretHash(sc, username, responses?.SECRET_HASH);
  const session = openCustomSession(deps, sc, input.Session, 'CUSTOM_CHALLENGE');
  const subject = await subjectOf(deps, sc, session, username);
  if (!(await deps.store.useOnce(`custom-auth-session:${session.custom.id}`, session.expiresAt, deps.clock.nowMs()))) throw notAuthorized(SPENT_SESSION);

  const verified = await runTrigger(deps, sc.settings, {
    source: 'VerifyAuthChallengeResponse_Authentication',
    poolId: sc.pool.id,
    userName: subject.user?.username ?? subject.name,
    clientId: sc.client.id,
    request: {
      ...customRequestBase(sc, subject),
      privateChallengeParameters: session.custom.privateParameters ?? {},
      challengeAnswer: answer,
      clientMetadata: input.ClientMetadata,
    },
  });
  if (!verified) throw invalidParameter(CUSTOM_AUTH_NOT_CONFIGURED);
  const rounds = [...session.custom.rounds, { challengeName: 'CUSTOM_CHALLENGE', challengeResult: verified.answerCorrect, challengeMetadata: session.custom.metadata ?? null }];
  return nextCustomStep(deps, sc, subject, rounds, ctx, input.ClientMetadata);
}

/**
 * The Session of a PASSWORD_VERIFIER a custom sign-in asked for (CUSTOM_AUTH with SRP_A), opened
 * before the proof is checked: it must be for this SECRET_BLOCK, so the password step cannot be
 * lifted out of the custom sign-in to skip its challenges.
 */
export function openCustomPasswordSession(deps: Pick<Deps, 'secrets' | 'clock'>, sc: SignInClient, sealed: string | undefined, blockId: string): CustomSession {
  const session = openCustomSession(deps, sc, sealed, 'PASSWORD_VERIFIER');
  if (session.custom.srpBlockId !== blockId) throw notAuthorized(INVALID_SESSION);
  return session;
}

/** The password is proven: PASSWORD_VERIFIER joins the rounds and DefineAuthChallenge decides what follows. */
export function continueAfterPassword(
  deps: Pick<Deps, CustomChallengeDeps>,
  sc: SignInClient,
  user: UserRecord,
  session: CustomSession,
  input: ChallengeAnswer,
  ctx: RequestContext,
): Promise<RespondToAuthChallengeResponse> {
  const rounds = [...session.custom.rounds, { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null }];
  return nextCustomStep(deps, sc, { user, name: session.custom.name }, rounds, ctx, input.ClientMetadata);
}
