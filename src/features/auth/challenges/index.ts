import type { Deps } from '../../../services/deps.js';
import type { RequestContext } from '../../../kernel/request-context.js';
import type { ChallengeNameType, RespondToAuthChallengeResponse } from '../../../model/generated/types.js';
import { notImplemented } from '../not-implemented.js';
import type { SignInClient } from '../sign-in-client.js';
import type { ChallengeAnswer } from './challenge-answer.js';
import { answerNewPassword, type NewPasswordDeps } from './new-password-challenge.js';
import { answerPasswordVerifier, type PasswordVerifierDeps } from './password-verifier.js';
import { answerDevicePasswordVerifier, answerDeviceSrpAuth, type DeviceChallengeDeps } from './device-srp.js';
import { answerEmailOtp, answerMfaSetup, answerSelectMfaType, answerSmsMfa, answerSmsOtp, answerSoftwareTokenMfa, type MfaAnswerDeps } from './mfa-answers.js';
import { answerFirstFactor, type FirstFactorAnswerDeps } from './first-factor-answers.js';
import { answerWebAuthn, type WebAuthnDeps } from './web-authn-challenge.js';
import { answerCustomChallenge, type CustomChallengeDeps } from './custom-challenge.js';

/**
 * The challenges a sign-in can return, keyed by the model's ChallengeNameType. Both
 * RespondToAuthChallenge and AdminRespondToAuthChallenge answer through these entries, so a new
 * challenge is one entry, not a branch in each operation.
 */

export type ChallengeOperation = 'RespondToAuthChallenge' | 'AdminRespondToAuthChallenge';

/** Every service some challenge uses: what an operation that answers challenges must be given. */
export type ChallengeDeps = PasswordVerifierDeps | NewPasswordDeps | MfaAnswerDeps | DeviceChallengeDeps | FirstFactorAnswerDeps | CustomChallengeDeps | WebAuthnDeps;

export type ChallengeHandler = (
  deps: Pick<Deps, ChallengeDeps>,
  sc: SignInClient,
  input: ChallengeAnswer,
  ctx: RequestContext,
) => Promise<RespondToAuthChallengeResponse>;

export interface ChallengeEntry {
  readonly answer: ChallengeHandler;
}

/** Challenges of the model not built yet: they answer notImplemented. Building one moves it into CHALLENGES. */
export const CHALLENGES_NOT_BUILT = [
  'ADMIN_NO_SRP_AUTH',
] as const satisfies readonly ChallengeNameType[];

type BuiltChallenge = Exclude<ChallengeNameType, (typeof CHALLENGES_NOT_BUILT)[number]>;

/** Every challenge of the model that is not in CHALLENGES_NOT_BUILT must be here (a missing one fails the typecheck). */
export const CHALLENGES: { readonly [C in BuiltChallenge]: ChallengeEntry } = {
  // The second step of USER_SRP_AUTH (flows/srp-sign-in.ts is the first).
  PASSWORD_VERIFIER: { answer: answerPasswordVerifier },
  NEW_PASSWORD_REQUIRED: { answer: answerNewPassword },
  // The MFA step after the password (mfa-step.ts starts it, mfa-answers.ts answers it).
  SMS_MFA: { answer: answerSmsMfa },
  EMAIL_OTP: { answer: answerEmailOtp },
  SOFTWARE_TOKEN_MFA: { answer: answerSoftwareTokenMfa },
  SELECT_MFA_TYPE: { answer: answerSelectMfaType },
  MFA_SETUP: { answer: answerMfaSetup },
  // A remembered device in place of the MFA step (device-srp.ts; sign-in-outcome.ts starts it).
  DEVICE_SRP_AUTH: { answer: answerDeviceSrpAuth },
  DEVICE_PASSWORD_VERIFIER: { answer: answerDevicePasswordVerifier },
  // Choice-based sign-in, USER_AUTH (flows/user-auth-sign-in.ts starts it): the choice, and the
  // first-factor codes, sent and checked as the MFA codes are (EMAIL_OTP above serves both).
  SELECT_CHALLENGE: { answer: answerFirstFactor() },
  PASSWORD: { answer: answerFirstFactor('PASSWORD') },
  PASSWORD_SRP: { answer: answerFirstFactor('PASSWORD_SRP') },
  SMS_OTP: { answer: answerSmsOtp },
  // Passkeys (web-authn-challenge.ts): the challenge of USER_AUTH with PREFERRED_CHALLENGE WEB_AUTHN.
  WEB_AUTHN: { answer: answerWebAuthn },
  // CUSTOM_AUTH's challenges, made and checked by the pool's functions (custom-challenge.ts).
  CUSTOM_CHALLENGE: { answer: answerCustomChallenge },
};

function isBuilt(name: ChallengeNameType): name is BuiltChallenge {
  return Object.hasOwn(CHALLENGES, name);
}

/** The entry that answers `name`, or the operation's refusal of a challenge not built. */
export function challengeEntry(operation: ChallengeOperation, name: ChallengeNameType): ChallengeEntry {
  if (!isBuilt(name)) throw notImplemented(operation, `the ${name} challenge`);
  return CHALLENGES[name];
}
