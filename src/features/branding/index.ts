import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { createManagedLoginBranding } from './create-managed-login-branding.js';
import { createTerms } from './create-terms.js';
import { deleteManagedLoginBranding } from './delete-managed-login-branding.js';
import { deleteTerms } from './delete-terms.js';
import { describeManagedLoginBrandingByClient } from './describe-managed-login-branding-by-client.js';
import { describeManagedLoginBranding } from './describe-managed-login-branding.js';
import { describeTerms } from './describe-terms.js';
import { getUICustomization } from './get-ui-customization.js';
import { listTerms } from './list-terms.js';
import { setUICustomization } from './set-ui-customization.js';
import { updateManagedLoginBranding } from './update-managed-login-branding.js';
import { updateTerms } from './update-terms.js';

/** Managed login configuration: classic UI customization, branding styles and terms (docs/compatibility.md). */
export const brandingOperations = {
  SetUICustomization: setUICustomization,
  GetUICustomization: getUICustomization,
  CreateManagedLoginBranding: createManagedLoginBranding,
  DescribeManagedLoginBranding: describeManagedLoginBranding,
  DescribeManagedLoginBrandingByClient: describeManagedLoginBrandingByClient,
  UpdateManagedLoginBranding: updateManagedLoginBranding,
  DeleteManagedLoginBranding: deleteManagedLoginBranding,
  CreateTerms: createTerms,
  DescribeTerms: describeTerms,
  ListTerms: listTerms,
  UpdateTerms: updateTerms,
  DeleteTerms: deleteTerms,
} satisfies { [N in OperationName]?: Operation<N> };
