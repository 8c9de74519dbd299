import type { OperationName } from '../../model/generated/operations.js';

/**
 * Cognito's request-rate quota categories (cognito-facts.md section 6) and the category each
 * operation counts against. AWS counts per account and Region over all pools, so the category
 * is the whole key: no pool, no user.
 */
export const QUOTA_CATEGORIES = [
  'UserAuthentication',
  'UserCreation',
  'UserAccountRecovery',
  'UserRead',
  'UserUpdate',
  'UserList',
  'UserResourceRead',
  'UserPoolRead',
  'UserPoolUpdate',
  'UserPoolClientRead',
  'UserPoolClientUpdate',
  'UserToken',
  'UserFederation',
] as const;
export type QuotaCategory = (typeof QUOTA_CATEGORIES)[number];

/** AWS's default requests per second of each category. */
export const AWS_DEFAULT_RPS: Readonly<Record<QuotaCategory, number>> = {
  UserAuthentication: 120,
  UserCreation: 50,
  UserAccountRecovery: 30,
  UserRead: 120,
  UserUpdate: 25,
  UserList: 30,
  UserResourceRead: 50,
  UserPoolRead: 15,
  UserPoolUpdate: 15,
  UserPoolClientRead: 15,
  UserPoolClientUpdate: 15,
  UserToken: 120,
  UserFederation: 25,
};

/**
 * Every operation of the model in one category. The memberships the developer guide names
 * outright are listed in section 6 of cognito-facts.md; the rest are inferred from the
 * category descriptions and are listed in INFERRED below. UserFederation has no API operation
 * here: it counts federated sign-ins through the hosted endpoints, which userpoold does not serve.
 */
export const OPERATION_CATEGORY = {
  // signing in
  AdminInitiateAuth: 'UserAuthentication',
  InitiateAuth: 'UserAuthentication',
  AdminRespondToAuthChallenge: 'UserAuthentication',
  RespondToAuthChallenge: 'UserAuthentication',
  // creating and confirming users
  SignUp: 'UserCreation',
  ConfirmSignUp: 'UserCreation',
  AdminCreateUser: 'UserCreation',
  AdminConfirmSignUp: 'UserCreation',
  // recovering an account or changing a password
  ForgotPassword: 'UserAccountRecovery',
  ConfirmForgotPassword: 'UserAccountRecovery',
  AdminResetUserPassword: 'UserAccountRecovery',
  AdminSetUserPassword: 'UserAccountRecovery',
  ChangePassword: 'UserAccountRecovery',
  // reading one user
  AdminGetUser: 'UserRead',
  GetUser: 'UserRead',
  // changing users, their attributes, groups, devices, MFA and sessions
  AdminUpdateUserAttributes: 'UserUpdate',
  UpdateUserAttributes: 'UserUpdate',
  VerifyUserAttribute: 'UserUpdate',
  GetUserAttributeVerificationCode: 'UserUpdate',
  ResendConfirmationCode: 'UserUpdate',
  AdminDeleteUser: 'UserUpdate',
  DeleteUser: 'UserUpdate',
  AdminDeleteUserAttributes: 'UserUpdate',
  DeleteUserAttributes: 'UserUpdate',
  AdminDisableUser: 'UserUpdate',
  AdminEnableUser: 'UserUpdate',
  AdminAddUserToGroup: 'UserUpdate',
  AdminRemoveUserFromGroup: 'UserUpdate',
  AdminUserGlobalSignOut: 'UserUpdate',
  GlobalSignOut: 'UserUpdate',
  AdminSetUserMFAPreference: 'UserUpdate',
  SetUserMFAPreference: 'UserUpdate',
  AdminSetUserSettings: 'UserUpdate',
  SetUserSettings: 'UserUpdate',
  AdminForgetDevice: 'UserUpdate',
  ForgetDevice: 'UserUpdate',
  ConfirmDevice: 'UserUpdate',
  AdminUpdateDeviceStatus: 'UserUpdate',
  UpdateDeviceStatus: 'UserUpdate',
  AdminUpdateAuthEventFeedback: 'UserUpdate',
  UpdateAuthEventFeedback: 'UserUpdate',
  AdminLinkProviderForUser: 'UserUpdate',
  AdminDisableProviderForUser: 'UserUpdate',
  AssociateSoftwareToken: 'UserUpdate',
  VerifySoftwareToken: 'UserUpdate',
  StartWebAuthnRegistration: 'UserUpdate',
  CompleteWebAuthnRegistration: 'UserUpdate',
  DeleteWebAuthnCredential: 'UserUpdate',
  // listing users
  ListUsers: 'UserList',
  ListUsersInGroup: 'UserList',
  // reading what belongs to a user
  AdminListGroupsForUser: 'UserResourceRead',
  AdminGetDevice: 'UserResourceRead',
  GetDevice: 'UserResourceRead',
  AdminListDevices: 'UserResourceRead',
  ListDevices: 'UserResourceRead',
  AdminListUserAuthEvents: 'UserResourceRead',
  GetUserAuthFactors: 'UserResourceRead',
  AdminGetUserAuthFactors: 'UserResourceRead',
  ListWebAuthnCredentials: 'UserResourceRead',
  // tokens
  RevokeToken: 'UserToken',
  GetTokensFromRefreshToken: 'UserToken',
  // reading pools and what hangs off them
  DescribeUserPool: 'UserPoolRead',
  ListUserPools: 'UserPoolRead',
  GetUserPoolMfaConfig: 'UserPoolRead',
  GetSigningCertificate: 'UserPoolRead',
  GetCSVHeader: 'UserPoolRead',
  DescribeUserImportJob: 'UserPoolRead',
  ListUserImportJobs: 'UserPoolRead',
  GetGroup: 'UserPoolRead',
  ListGroups: 'UserPoolRead',
  DescribeIdentityProvider: 'UserPoolRead',
  GetIdentityProviderByIdentifier: 'UserPoolRead',
  ListIdentityProviders: 'UserPoolRead',
  DescribeResourceServer: 'UserPoolRead',
  ListResourceServers: 'UserPoolRead',
  DescribeUserPoolDomain: 'UserPoolRead',
  DescribeRiskConfiguration: 'UserPoolRead',
  GetUICustomization: 'UserPoolRead',
  GetLogDeliveryConfiguration: 'UserPoolRead',
  ListTagsForResource: 'UserPoolRead',
  DescribeManagedLoginBranding: 'UserPoolRead',
  DescribeManagedLoginBrandingByClient: 'UserPoolRead',
  DescribeTerms: 'UserPoolRead',
  ListTerms: 'UserPoolRead',
  ListUserPoolReplicas: 'UserPoolRead',
  GetProvisionedLimit: 'UserPoolRead',
  // changing pools and what hangs off them
  CreateUserPool: 'UserPoolUpdate',
  UpdateUserPool: 'UserPoolUpdate',
  DeleteUserPool: 'UserPoolUpdate',
  AddCustomAttributes: 'UserPoolUpdate',
  SetUserPoolMfaConfig: 'UserPoolUpdate',
  CreateUserImportJob: 'UserPoolUpdate',
  StartUserImportJob: 'UserPoolUpdate',
  StopUserImportJob: 'UserPoolUpdate',
  CreateGroup: 'UserPoolUpdate',
  UpdateGroup: 'UserPoolUpdate',
  DeleteGroup: 'UserPoolUpdate',
  CreateIdentityProvider: 'UserPoolUpdate',
  UpdateIdentityProvider: 'UserPoolUpdate',
  DeleteIdentityProvider: 'UserPoolUpdate',
  CreateResourceServer: 'UserPoolUpdate',
  UpdateResourceServer: 'UserPoolUpdate',
  DeleteResourceServer: 'UserPoolUpdate',
  CreateUserPoolDomain: 'UserPoolUpdate',
  UpdateUserPoolDomain: 'UserPoolUpdate',
  DeleteUserPoolDomain: 'UserPoolUpdate',
  SetRiskConfiguration: 'UserPoolUpdate',
  SetUICustomization: 'UserPoolUpdate',
  SetLogDeliveryConfiguration: 'UserPoolUpdate',
  TagResource: 'UserPoolUpdate',
  UntagResource: 'UserPoolUpdate',
  CreateManagedLoginBranding: 'UserPoolUpdate',
  UpdateManagedLoginBranding: 'UserPoolUpdate',
  DeleteManagedLoginBranding: 'UserPoolUpdate',
  CreateTerms: 'UserPoolUpdate',
  UpdateTerms: 'UserPoolUpdate',
  DeleteTerms: 'UserPoolUpdate',
  CreateUserPoolReplica: 'UserPoolUpdate',
  UpdateUserPoolReplica: 'UserPoolUpdate',
  DeleteUserPoolReplica: 'UserPoolUpdate',
  UpdateProvisionedLimit: 'UserPoolUpdate',
  // app clients
  DescribeUserPoolClient: 'UserPoolClientRead',
  ListUserPoolClients: 'UserPoolClientRead',
  ListUserPoolClientSecrets: 'UserPoolClientRead',
  CreateUserPoolClient: 'UserPoolClientUpdate',
  UpdateUserPoolClient: 'UserPoolClientUpdate',
  DeleteUserPoolClient: 'UserPoolClientUpdate',
  AddUserPoolClientSecret: 'UserPoolClientUpdate',
  DeleteUserPoolClientSecret: 'UserPoolClientUpdate',
} as const satisfies Record<OperationName, QuotaCategory>;

/**
 * Memberships that no source read for this project states: everything except the operations
 * the developer guide names in its category descriptions (section 6 of cognito-facts.md).
 */
export const NAMED_BY_AWS: ReadonlySet<OperationName> = new Set<OperationName>([
  'AdminInitiateAuth',
  'InitiateAuth',
  'AdminRespondToAuthChallenge',
  'RespondToAuthChallenge',
  'SignUp',
  'ConfirmSignUp',
  'AdminCreateUser',
  'AdminConfirmSignUp',
  'AdminGetUser',
  'GetUser',
  'ListUsers',
  'ListUsersInGroup',
  'AdminListGroupsForUser',
  'GetDevice',
  'DescribeUserPool',
  'CreateUserPool',
  'UpdateUserPool',
  'DescribeUserPoolClient',
  'CreateUserPoolClient',
]);

export function categoryOf(operation: OperationName): QuotaCategory {
  return OPERATION_CATEGORY[operation];
}

export function isInferredMembership(operation: OperationName): boolean {
  return !NAMED_BY_AWS.has(operation);
}

/** Requests per second of each category, or undefined for a category without a limit. */
export type QuotaLimits = Readonly<Partial<Record<QuotaCategory, number>>>;

export function isQuotaCategory(name: string): name is QuotaCategory {
  return (QUOTA_CATEGORIES as readonly string[]).includes(name);
}
