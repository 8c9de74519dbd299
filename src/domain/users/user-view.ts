import type { AttributeType, UserType } from '../../model/generated/types.js';
import type { UserListing } from './user.js';

/** A user's attributes as the API lists them: `sub` first, then in stored order. */
export function attributeList(user: Pick<UserListing, 'attributes'>, only?: readonly string[]): AttributeType[] {
  const entries = Object.entries(user.attributes).filter(([name]) => only === undefined || only.includes(name));
  entries.sort(([a], [b]) => (a === 'sub' ? -1 : b === 'sub' ? 1 : 0));
  return entries.map(([Name, Value]) => ({ Name, Value }));
}

/** The UserType of ListUsers and AdminCreateUser. */
export function userType(user: UserListing, only?: readonly string[]): UserType {
  return {
    Username: user.username,
    Attributes: attributeList(user, only),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
