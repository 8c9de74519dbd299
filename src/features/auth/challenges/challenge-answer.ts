import type { ChallengeNameType } from '../../../model/generated/types.js';

/** What RespondToAuthChallenge and AdminRespondToAuthChallenge both send to a challenge's answer. */
export interface ChallengeAnswer {
  ChallengeName: ChallengeNameType;
  Session?: string;
  ChallengeResponses?: Record<string, string>;
}
