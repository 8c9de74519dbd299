import { invalidParameter } from '../../kernel/errors.js';
import type { UserContextDataType } from '../../model/generated/types.js';
import type { ClientSettings } from './app-client.js';

/**
 * EnablePropagateAdditionalUserContextData: "You can only activate
 * EnablePropagateAdditionalUserContextData in an app client that has a client secret"
 * (API_UserPoolClientType). AWS's text for the refusal is not published; this one is ours.
 */
export const PROPAGATION_NEEDS_SECRET = 'EnablePropagateAdditionalUserContextData can only be true for an app client that has a client secret.';

export function checkContextDataPropagation(settings: ClientSettings, hasSecret: boolean): void {
  if (settings.EnablePropagateAdditionalUserContextData === true && !hasSecret) throw invalidParameter(PROPAGATION_NEEDS_SECRET);
}

/**
 * The user's address for threat protection in the public operations (InitiateAuth,
 * RespondToAuthChallenge, SignUp, ForgotPassword, ...): "When
 * EnablePropagateAdditionalUserContextData is true, Amazon Cognito accepts an IpAddress value
 * that you send in the UserContextData parameter"; when false, the request's own source address
 * (API_UserPoolClientType). `EncodedData` (the SDK's device fingerprint) is opaque here: userpoold
 * scores no risk, so it is neither decoded nor kept.
 */
export function userAddressOf(sourceIp: string, settings: ClientSettings, userContextData: UserContextDataType | undefined | null): string {
  const given = userContextData?.IpAddress;
  return settings.EnablePropagateAdditionalUserContextData === true && typeof given === 'string' && given !== '' ? given : sourceIp;
}
