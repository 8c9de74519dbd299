import type { Operation } from '../operation.js';
import { loadPool } from '../../services/directory/lookups.js';
import { primaryView, replicaView } from './replica-view.js';

/**
 * The pool in its own region (PRIMARY) and its replicas (SECONDARY) by region. A pool has few
 * replicas, so every answer is one page and carries no NextToken.
 */
export const listUserPoolReplicas: Operation<'ListUserPoolReplicas', 'config' | 'store'> = (deps) => async (input) => {
  const { pool } = await loadPool(deps.store, input.UserPoolId);
  const replicas = await deps.store.listReplicas(pool.id);
  return { UserPoolReplicas: [primaryView(deps.config, pool.id), ...replicas.map((r) => replicaView(deps.config, r))] };
};
