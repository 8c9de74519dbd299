import { invalidLambdaResponse } from '../../kernel/errors.js';
import { UNRECOGNIZABLE } from './lambda-outcome.js';

/**
 * The user-pool triggers userpoold runs, keyed by trigger source, with the request each one
 * sends and the response it reads back (cognito-facts-areas.md §2.2-§2.4; DG23 per-trigger
 * pages). A new source is one entry in TRIGGER_SOURCES; a new trigger is one contract here.
 */

export type Metadata = Record<string, string>;
export type Attributes = Record<string, string>;

export interface PreSignUpRequest {
  userAttributes: Attributes;
  validationData: Metadata | null;
  clientMetadata?: Metadata;
}
export interface PreSignUpResponse {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

export interface PostConfirmationRequest {
  userAttributes: Attributes;
  clientMetadata?: Metadata;
}

export interface PreAuthenticationRequest {
  userAttributes: Attributes;
  /** (Admin)InitiateAuth's ClientMetadata arrives here (§2.2). */
  validationData: Metadata | null;
  /** Only for clients with PreventUserExistenceErrors ENABLED (§2.3). */
  userNotFound?: boolean;
}

export interface PostAuthenticationRequest {
  userAttributes: Attributes;
  /** Always false: remembered devices are not built, and the flag is about them (§2.3). */
  newDeviceUsed: boolean;
  clientMetadata?: Metadata;
}

export interface GroupConfiguration {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole: string | null;
}
export interface TokenGenerationRequest {
  userAttributes: Attributes;
  groupConfiguration: GroupConfiguration;
  /** V2_0 and V3_0 only: the access token's scopes. */
  scopes?: string[];
  clientMetadata?: Metadata;
}
export interface ClaimChanges {
  claimsToAddOrOverride: Record<string, unknown>;
  claimsToSuppress: string[];
}
export interface AccessClaimChanges extends ClaimChanges {
  scopesToAdd: string[];
  scopesToSuppress: string[];
}
/** Both versions' answers, read into one shape: V1_0 fills only `id` (it changes the ID token alone). */
export interface TokenGenerationResponse {
  id: ClaimChanges;
  access: AccessClaimChanges | undefined;
  groups: Partial<GroupConfiguration> | undefined;
}

export interface UserMigrationRequest {
  /** The password typed at sign-in; absent for the forgot-password source. */
  password?: string;
  validationData: Metadata | null;
  clientMetadata?: Metadata;
}
export interface UserMigrationResponse {
  userAttributes: Attributes;
  finalUserStatus: 'CONFIRMED' | 'RESET_REQUIRED' | undefined;
  messageAction: 'SUPPRESS' | undefined;
  desiredDeliveryMediums: ('EMAIL' | 'SMS')[] | undefined;
  forceAliasCreation: boolean;
}

/** One challenge of a custom sign-in so far, oldest first (§2.2 `session[]`). */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  /** What CreateAuthChallenge set for this challenge; null when it set none. */
  challengeMetadata: string | null;
}
export interface DefineAuthChallengeRequest {
  userAttributes: Attributes;
  session: ChallengeResult[];
  /** (Admin)RespondToAuthChallenge's only: InitiateAuth passes none to these triggers (§2.2). */
  clientMetadata?: Metadata;
  /** Only for clients with PreventUserExistenceErrors ENABLED (§2.2). */
  userNotFound?: boolean;
}
export interface DefineAuthChallengeResponse {
  challengeName: string | undefined;
  issueTokens: boolean;
  failAuthentication: boolean;
}
export interface CreateAuthChallengeRequest {
  userAttributes: Attributes;
  challengeName: string;
  session: ChallengeResult[];
  clientMetadata?: Metadata;
  userNotFound?: boolean;
}
export interface CreateAuthChallengeResponse {
  publicChallengeParameters: Metadata;
  privateChallengeParameters: Metadata;
  challengeMetadata: string | undefined;
}
export interface VerifyAuthChallengeRequest {
  userAttributes: Attributes;
  privateChallengeParameters: Metadata;
  challengeAnswer: string;
  clientMetadata?: Metadata;
  userNotFound?: boolean;
}
export interface VerifyAuthChallengeResponse {
  answerCorrect: boolean;
}

export type EmptyResponse = Record<string, never>;

/** Per LambdaConfig key: what is sent and what is read back. */
export interface TriggerContracts {
  PreSignUp: { request: PreSignUpRequest; response: PreSignUpResponse };
  PostConfirmation: { request: PostConfirmationRequest; response: EmptyResponse };
  PreAuthentication: { request: PreAuthenticationRequest; response: EmptyResponse };
  PostAuthentication: { request: PostAuthenticationRequest; response: EmptyResponse };
  PreTokenGeneration: { request: TokenGenerationRequest; response: TokenGenerationResponse };
  UserMigration: { request: UserMigrationRequest; response: UserMigrationResponse };
  DefineAuthChallenge: { request: DefineAuthChallengeRequest; response: DefineAuthChallengeResponse };
  CreateAuthChallenge: { request: CreateAuthChallengeRequest; response: CreateAuthChallengeResponse };
  VerifyAuthChallengeResponse: { request: VerifyAuthChallengeRequest; response: VerifyAuthChallengeResponse };
}
export type TriggerName = keyof TriggerContracts;

/** Every trigger source userpoold sends, and the trigger (LambdaConfig key) it belongs to. */
export const TRIGGER_SOURCES = {
  PreSignUp_SignUp: 'PreSignUp',
  PreSignUp_AdminCreateUser: 'PreSignUp',
  PreSignUp_ExternalProvider: 'PreSignUp',
  PostConfirmation_ConfirmSignUp: 'PostConfirmation',
  PostConfirmation_ConfirmForgotPassword: 'PostConfirmation',
  PreAuthentication_Authentication: 'PreAuthentication',
  PostAuthentication_Authentication: 'PostAuthentication',
  TokenGeneration_Authentication: 'PreTokenGeneration',
  TokenGeneration_HostedAuth: 'PreTokenGeneration',
  TokenGeneration_NewPasswordChallenge: 'PreTokenGeneration',
  TokenGeneration_RefreshTokens: 'PreTokenGeneration',
  TokenGeneration_AuthenticateDevice: 'PreTokenGeneration',
  UserMigration_Authentication: 'UserMigration',
  UserMigration_ForgotPassword: 'UserMigration',
  DefineAuthChallenge_Authentication: 'DefineAuthChallenge',
  CreateAuthChallenge_Authentication: 'CreateAuthChallenge',
  VerifyAuthChallengeResponse_Authentication: 'VerifyAuthChallengeResponse',
} as const satisfies Record<string, TriggerName>;

export type TriggerSource = keyof typeof TRIGGER_SOURCES;
export type TriggerOf<S extends TriggerSource> = (typeof TRIGGER_SOURCES)[S];
export type RequestOf<S extends TriggerSource> = TriggerContracts[TriggerOf<S>]['request'];
export type ResponseOf<S extends TriggerSource> = TriggerContracts[TriggerOf<S>]['response'];

/** The PreTokenGeneration event version (LambdaVersion V1_0 -> "1", V2_0 -> "2", V3_0 -> "3"; §2.4). */
export type TokenEventVersion = '1' | '2' | '3';

export interface TriggerSpec<T extends TriggerName> {
  /** The `response` the event carries when it is sent (what the function finds before it fills it in). */
  initialResponse(version: string): Record<string, unknown>;
  /** Reads the function's `response`; a wrong shape is InvalidLambdaResponseException. */
  read(response: Record<string, unknown>, version: string): TriggerContracts[T]['response'];
}

const unrecognizable = () => invalidLambdaResponse(UNRECOGNIZABLE);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
function absent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}
function flag(value: unknown): boolean {
  if (absent(value)) return false;
  if (typeof value !== 'boolean') throw unrecognizable();
  return value;
}
function object(value: unknown): Record<string, unknown> | undefined {
  if (absent(value)) return undefined;
  if (!isObject(value)) throw unrecognizable();
  return value;
}
function strings(value: unknown): string[] {
  if (absent(value)) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw unrecognizable();
  return value as string[];
}
function optionalString(value: unknown): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string') throw unrecognizable();
  return value;
}

/** Triggers answered by throwing or not: their response carries nothing (§2.2). */
function emptySpec<T extends 'PostConfirmation' | 'PreAuthentication' | 'PostAuthentication'>(): TriggerSpec<T> {
  return { initialResponse: () => ({}), read: () => ({}) };
}

function readGroups(value: unknown): Partial<GroupConfiguration> | undefined {
  const groups = object(value);
  if (!groups) return undefined;
  const out: Partial<GroupConfiguration> = {};
  if (!absent(groups.groupsToOverride)) out.groupsToOverride = strings(groups.groupsToOverride);
  if (!absent(groups.iamRolesToOverride)) out.iamRolesToOverride = strings(groups.iamRolesToOverride);
  if (groups.preferredRole !== undefined) out.preferredRole = optionalString(groups.preferredRole) ?? null;
  return out;
}

/** V1_0 claim values are strings (numbers and booleans read as their text); anything else is refused (§2.4). */
function v1Claims(value: unknown): Record<string, unknown> {
  const claims = object(value) ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(claims)) {
    if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
    else if (!absent(v)) throw unrecognizable();
  }
  return out;
}

/** V2_0/V3_0 values may be any JSON, except complex values for these ID-token claims (§2.4). */
const SIMPLE_ONLY = new Set(['phone_number_verified', 'email_verified', 'updated_at', 'address']);
function v2Claims(value: unknown, idToken: boolean): Record<string, unknown> {
  const claims = object(value) ?? {};
  if (idToken) for (const name of SIMPLE_ONLY) if (typeof claims[name] === 'object' && claims[name] !== null) throw unrecognizable();
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined && v !== null));
}

const tokenSpec: TriggerSpec<'PreTokenGeneration'> = {
  initialResponse: (version) => (version === '1' ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null }),
  read(response, version) {
    if (version === '1') {
      const details = object(response.claimsOverrideDetails);
      return {
        id: { claimsToAddOrOverride: v1Claims(details?.claimsToAddOrOverride), claimsToSuppress: strings(details?.claimsToSuppress) },
        access: undefined,
        groups: readGroups(details?.groupOverrideDetails),
      };
    }
    const details = object(response.claimsAndScopeOverrideDetails);
    const id = object(details?.idTokenGeneration);
    const access = object(details?.accessTokenGeneration);
    return {
      id: { claimsToAddOrOverride: v2Claims(id?.claimsToAddOrOverride, true), claimsToSuppress: strings(id?.claimsToSuppress) },
      access: {
        claimsToAddOrOverride: v2Claims(access?.claimsToAddOrOverride, false),
        claimsToSuppress: strings(access?.claimsToSuppress),
        scopesToAdd: strings(access?.scopesToAdd),
        scopesToSuppress: strings(access?.scopesToSuppress),
      },
      groups: readGroups(details?.groupOverrideDetails),
    };
  },
};

const migrationSpec: TriggerSpec<'UserMigration'> = {
  initialResponse: () => ({
    userAttributes: null,
    finalUserStatus: null,
    messageAction: null,
    desiredDeliveryMediums: null,
    forceAliasCreation: null,
    enableSMSMFA: null,
  }),
  read(response) {
    // userAttributes are required: a function that answers none has not migrated anyone (§2.2).
    const attributes = object(response.userAttributes);
    if (!attributes) throw unrecognizable();
    const userAttributes: Attributes = {};
    for (const [name, v] of Object.entries(attributes)) {
      if (typeof v === 'string') userAttributes[name] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') userAttributes[name] = String(v);
      else if (!absent(v)) throw unrecognizable();
    }
    const status = optionalString(response.finalUserStatus);
    if (status !== undefined && status !== 'CONFIRMED' && status !== 'RESET_REQUIRED') throw unrecognizable();
    const action = optionalString(response.messageAction);
    if (action !== undefined && action !== 'SUPPRESS') throw unrecognizable();
    const mediums = absent(response.desiredDeliveryMediums) ? undefined : strings(response.desiredDeliveryMediums);
    if (mediums?.some((m) => m !== 'EMAIL' && m !== 'SMS')) throw unrecognizable();
    return {
      userAttributes,
      finalUserStatus: status,
      messageAction: action,
      desiredDeliveryMediums: mediums as ('EMAIL' | 'SMS')[] | undefined,
      forceAliasCreation: flag(response.forceAliasCreation),
    };
  },
};

/** Challenge parameters are strings; numbers and booleans read as their text, as for attributes. */
function parameters(value: unknown): Metadata {
  const out: Metadata = {};
  for (const [name, v] of Object.entries(object(value) ?? {})) {
    if (typeof v === 'string') out[name] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
    else if (!absent(v)) throw unrecognizable();
  }
  return out;
}

// The custom-auth triggers (§2.2, DG user-pool-lambda-{define,create,verify}-auth-challenge).
// What the function finds in `response` before it fills it in is not documented: every member
// is null, as for UserMigration.
const defineSpec: TriggerSpec<'DefineAuthChallenge'> = {
  initialResponse: () => ({ challengeName: null, issueTokens: null, failAuthentication: null }),
  read: (response) => ({
    challengeName: optionalString(response.challengeName),
    issueTokens: flag(response.issueTokens),
    failAuthentication: flag(response.failAuthentication),
  }),
};
const createSpec: TriggerSpec<'CreateAuthChallenge'> = {
  initialResponse: () => ({ publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null }),
  read: (response) => ({
    publicChallengeParameters: parameters(response.publicChallengeParameters),
    privateChallengeParameters: parameters(response.privateChallengeParameters),
    challengeMetadata: optionalString(response.challengeMetadata),
  }),
};
const verifySpec: TriggerSpec<'VerifyAuthChallengeResponse'> = {
  initialResponse: () => ({ answerCorrect: null }),
  read: (response) => ({ answerCorrect: flag(response.answerCorrect) }),
};

export const TRIGGER_SPECS: { readonly [T in TriggerName]: TriggerSpec<T> } = {
  PreSignUp: {
    initialResponse: () => ({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }),
    read: (response) => ({
      autoConfirmUser: flag(response.autoConfirmUser),
      autoVerifyEmail: flag(response.autoVerifyEmail),
      autoVerifyPhone: flag(response.autoVerifyPhone),
    }),
  },
  PostConfirmation: emptySpec(),
  PreAuthentication: emptySpec(),
  PostAuthentication: emptySpec(),
  PreTokenGeneration: tokenSpec,
  UserMigration: migrationSpec,
  DefineAuthChallenge: defineSpec,
  CreateAuthChallenge: createSpec,
  VerifyAuthChallengeResponse: verifySpec,
};
