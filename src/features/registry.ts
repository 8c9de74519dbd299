import type { Deps } from '../services/deps.js';
import type { Handlers, Operation } from './operation.js';

import type { OperationName } from '../model/generated/operations.js';
import { authOperations } from './auth/index.js';
import { authFactorsOperations } from './auth-factors/index.js';
import { brandingOperations } from './branding/index.js';
import { clientsOperations } from './clients/index.js';
import { devicesOperations } from './devices/index.js';
import { groupsOperations } from './groups/index.js';
import { idpOperations } from './idp/index.js';
import { mfaOperations } from './mfa/index.js';
import { oauthOperations } from './oauth/index.js';
import { passkeysOperations } from './passkeys/index.js';
import { poolsOperations } from './pools/index.js';
import { recoveryOperations } from './recovery/index.js';
import { securityOperations } from './security/index.js';
import { signupOperations } from './signup/index.js';
import { tagsOperations } from './tags/index.js';
import { importOperations } from './import/index.js';
import { limitsOperations } from './limits/index.js';
import { replicasOperations } from './replicas/index.js';
import { usersOperations } from './users/index.js';

/**
 * The operations userpoold implements, gathered from their groups. Every other operation of
 * the model answers UnsupportedOperationException naming it (see dispatch.ts).
 */
export const OPERATIONS = {
  ...poolsOperations,
  ...clientsOperations,
  ...usersOperations,
  ...groupsOperations,
  ...authOperations,
  ...mfaOperations,
  ...devicesOperations,
  ...recoveryOperations,
  ...securityOperations,
  ...signupOperations,
  ...tagsOperations,
  ...importOperations,
  ...oauthOperations,
  ...idpOperations,
  ...passkeysOperations,
  ...limitsOperations,
  ...replicasOperations,
  ...authFactorsOperations,
  ...brandingOperations,
} satisfies { [N in OperationName]?: Operation<N> };

export function buildHandlers(deps: Deps): Handlers {
  const handlers: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    handlers[name] = (operation as Operation<OperationName>)(deps);
  }
  return handlers as Handlers;
}
