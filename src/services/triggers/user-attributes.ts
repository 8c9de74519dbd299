import type { UserRecord } from '../../domain/users/user.js';

/**
 * `request.userAttributes` for a stored user, as Cognito sends it to the triggers about an
 * existing user (PostConfirmation, Pre/PostAuthentication, PreTokenGeneration): the attributes,
 * `cognito:user_status`, and the active email/phone aliases as `cognito:email_alias` /
 * `cognito:phone_number_alias` (DG23 sample events of those triggers).
 */
export function triggerUserAttributes(user: UserRecord): Record<string, string> {
  const out: Record<string, string> = { ...user.attributes, 'cognito:user_status': user.status };
  if (user.aliases.email !== null && user.attributes.email !== undefined) out['cognito:email_alias'] = user.attributes.email;
  if (user.aliases.phone_number !== null && user.attributes.phone_number !== undefined) {
    out['cognito:phone_number_alias'] = user.attributes.phone_number;
  }
  return out;
}

/** The attributes a caller submitted for a user not stored yet (PreSignUp): without the `sub` userpoold made up. */
export function submittedAttributes(attributes: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => name !== 'sub'));
}

/** ValidationData and UserAttributes lists as the `{name: value}` map triggers receive; null when not sent. */
export function attributeMap(list: readonly { Name: string; Value?: string | undefined }[] | undefined): Record<string, string> | null {
  if (list === undefined) return null;
  return Object.fromEntries(list.map((a) => [a.Name, a.Value ?? '']));
}
