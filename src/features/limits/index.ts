import type { OperationName } from '../../model/generated/operations.js';
import type { Operation } from '../operation.js';
import { getProvisionedLimit } from './get-provisioned-limit.js';
import { updateProvisionedLimit } from './update-provisioned-limit.js';

/** Provisioned request rates per quota category, enforced by admission (http/pipeline/admission.ts). */
export const limitsOperations = {
  GetProvisionedLimit: getProvisionedLimit,
  UpdateProvisionedLimit: updateProvisionedLimit,
} satisfies { [N in OperationName]?: Operation<N> };
