import type { Deps } from '../../services/deps.js';
import { loadUserMfa } from '../../services/mfa/user-mfa.js';
import { applyPreferences, type MfaMethod, type PreferenceChange } from '../../domain/mfa/mfa-settings.js';
import type { UserRecord } from '../../domain/users/user.js';
import { invalidParameter } from '../../kernel/errors.js';

/**
 * Writes a change of the user's factors (SetUserMFAPreference, AdminSetUserMFAPreference,
 * SetUserSettings, AdminSetUserSettings) in one transaction; a factor the change leaves out
 * stays as it is.
 */
export async function changeMfaPreferences(
  deps: Pick<Deps, 'store' | 'clock'>,
  user: UserRecord,
  changes: Partial<Record<MfaMethod, PreferenceChange | undefined>>,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const current = await loadUserMfa(deps, user, tx);
    const next = applyPreferences(current, user.attributes, changes, deps.clock.nowMs());
    if (typeof next === 'string') throw invalidParameter(next);
    await tx.putUserMfa(next);
  });
}

/** The legacy MFAOptions of (Admin)SetUserSettings: SMS to phone_number is the only option there is. */
export function smsChangeOfOptions(options: readonly { DeliveryMedium?: string | undefined; AttributeName?: string | undefined }[]): PreferenceChange {
  for (const option of options) {
    // AWS's text for another option is not documented (unverified wording).
    if (option.DeliveryMedium !== 'SMS' || (option.AttributeName !== undefined && option.AttributeName !== 'phone_number')) {
      throw invalidParameter('Only SMS delivery to phone_number is supported for MFAOptions.');
    }
  }
  return { Enabled: options.length > 0 };
}
