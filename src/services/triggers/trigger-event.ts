/**
 * The event every Cognito user-pool trigger receives, whatever its source
 * (cognito-facts-areas.md §2.1 [DOC23 DG:cognito-user-identity-pools-working-with-aws-lambda-triggers]):
 * version, triggerSource, region, userPoolId, userName, callerContext {awsSdkVersion, clientId},
 * request and response. The function answers the whole event, with `response` filled in.
 */
export interface TriggerEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/** What admin operations put where a public operation names its app client. */
export const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';

/** Cognito does not tell the function which SDK called it here; this is the value it sends then. */
export const UNKNOWN_SDK = 'aws-sdk-unknown-unknown';
