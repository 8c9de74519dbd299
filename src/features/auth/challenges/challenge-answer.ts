import type { ChallengeNameType } from '../../../model/generated/types.js';

/** What RespondToAuthChallenge and AdminRespondToAuthChallenge both send to a challenge's answer. */
export interface ChallengeAnswer {
  ChallengeName: ChallengeNameType;
  Session?: string;
  ChallengeResponses?: Record<string, string>;
  /** Passed to the triggers the answer runs (PostAuthentication, PreTokenGeneration). */
  ClientMetadata?: Record<string, string>;
}
