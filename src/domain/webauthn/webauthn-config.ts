import type { WebAuthnConfigurationType } from '../../model/generated/types.js';
import { invalidParameter } from '../../kernel/errors.js';
import type { PoolSettings } from '../pools/user-pool.js';

/**
 * A pool's passkey settings (cognito-facts-areas.md §3.6; MODEL WebAuthnConfigurationType), set
 * by SetUserPoolMfaConfig "independent of the MFA configuration options" and kept in the pool's
 * settings under this key.
 */
export const WEBAUTHN_CONFIG_KEY = 'WebAuthnConfiguration';

export type PoolSettingsWithWebAuthn = PoolSettings & { [WEBAUTHN_CONFIG_KEY]?: WebAuthnConfigurationType };

export function webAuthnConfigOf(settings: PoolSettings): WebAuthnConfigurationType | undefined {
  return (settings as PoolSettingsWithWebAuthn)[WEBAUTHN_CONFIG_KEY];
}

/**
 * The configuration SetUserPoolMfaConfig stores. Passkeys as a second factor
 * (MULTI_FACTOR_WITH_USER_VERIFICATION) are not built: refused by name, as other settings of
 * features not built are (domain/pools/not-built.ts).
 */
export function checkWebAuthnConfig(config: WebAuthnConfigurationType): WebAuthnConfigurationType {
  if (config.FactorConfiguration === 'MULTI_FACTOR_WITH_USER_VERIFICATION') {
    throw invalidParameter('userpoold does not support passkeys as a second factor yet, so WebAuthnConfiguration.FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION cannot be set (see docs/compatibility.md).');
  }
  return config;
}

/** What GetUserPoolMfaConfig shows: the stored settings with AWS's defaults (user verification preferred, single factor). */
export function webAuthnConfigView(settings: PoolSettings): WebAuthnConfigurationType | undefined {
  const config = webAuthnConfigOf(settings);
  return config && { UserVerification: 'preferred', FactorConfiguration: 'SINGLE_FACTOR', ...config };
}

/**
 * The relying party id: the pool's RelyingPartyId, else the server's --webauthn-rp-id (AWS
 * would take the pool's domain, which userpoold does not host); none is
 * WebAuthnConfigurationMissingException's case (§3.6: "no RP id/domain").
 */
export function relyingPartyId(settings: PoolSettings, serverDefault: string | undefined): string | undefined {
  return webAuthnConfigOf(settings)?.RelyingPartyId ?? serverDefault;
}

/**
 * The origins a passkey may come from: the relying party's own host and its subdomains over
 * https (the WebAuthn rule for an RP id), and plain http on localhost for local development.
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  const matches = host === rpId || host.endsWith(`.${rpId}`);
  if (!matches) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && host === 'localhost');
}
