import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { adminDisableProviderForUser } from './admin-disable-provider-for-user.js';
import { adminLinkProviderForUser } from './admin-link-provider-for-user.js';
import { createIdentityProvider } from './create-identity-provider.js';
import { deleteIdentityProvider } from './delete-identity-provider.js';
import { describeIdentityProvider } from './describe-identity-provider.js';
import { getIdentityProviderByIdentifier } from './get-identity-provider-by-identifier.js';
import { listIdentityProviders } from './list-identity-providers.js';
import { updateIdentityProvider } from './update-identity-provider.js';

// What other areas use: the client area checks SupportedIdentityProviders against the pool's providers.
export { unknownSupportedProvider, unknownProviderMessage } from './supported-providers.js';

/** Identity providers of a pool and links of their users to the pool's users (federation, docs/federation.md; cognito-facts-areas.md §4.7). */
export const idpOperations = {
  CreateIdentityProvider: createIdentityProvider,
  DescribeIdentityProvider: describeIdentityProvider,
  UpdateIdentityProvider: updateIdentityProvider,
  DeleteIdentityProvider: deleteIdentityProvider,
  ListIdentityProviders: listIdentityProviders,
  GetIdentityProviderByIdentifier: getIdentityProviderByIdentifier,
  AdminLinkProviderForUser: adminLinkProviderForUser,
  AdminDisableProviderForUser: adminDisableProviderForUser,
} satisfies { [N in OperationName]?: Operation<N> };
